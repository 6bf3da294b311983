const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

function shiftToBeijing(date: Date): string {
  return new Date(date.getTime() + BEIJING_OFFSET_MS).toISOString();
}

/** WeChat Pay writes times in Beijing time with an explicit offset: `2018-06-08T10:34:56+08:00`. */
export function formatBeijingTime(date: Date): string {
  return `${shiftToBeijing(date).slice(0, 19)}+08:00`;
}

/** `yyyyMMddHHmmss` in Beijing time, as embedded in prepay_ids. */
export function formatCompactBeijingTime(date: Date): string {
  return shiftToBeijing(date).slice(0, 19).replace(/[-T:]/g, '');
}
