const BEIJING_OFFSET_MS = 8 * 3600_000;

/** RFC 3339 in China Standard Time, as WeChat Pay writes `time_expire`: `2026-11-22T18:15:00+08:00`. */
export function formatBeijingTime(instant: Date): string {
  return new Date(Math.floor(instant.getTime() / 1000) * 1000 + BEIJING_OFFSET_MS).toISOString().slice(0, 19) + '+08:00';
}
