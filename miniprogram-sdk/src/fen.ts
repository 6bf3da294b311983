export const MAX_AMOUNT_FEN = 100_000_000;

/** Amounts are integer fen (1 yuan = 100 fen) end to end: a yuan float such as 0.01 is refused, not rounded. */
export function assertFen(amount: unknown): asserts amount is number {
  if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 1 || amount > MAX_AMOUNT_FEN) {
    throw new TypeError(`amount must be an integer number of fen from 1 to ${MAX_AMOUNT_FEN} (got ${String(amount)}); 88.00 yuan is 8800`);
  }
}

/** 8800 → "88.00", with integer arithmetic only (for display; never send the result anywhere). */
export function formatFen(amount: number): string {
  assertFen(amount);
  const cents = String(amount % 100);
  return `${Math.floor(amount / 100)}.${cents.length === 1 ? `0${cents}` : cents}`;
}
