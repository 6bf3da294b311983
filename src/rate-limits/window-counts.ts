/**
 * Hits per key in fixed windows, counted in memory the way rate-limiter-flexible's RateLimiterMemory counts them:
 * a key's window opens at its first hit and lasts `durationMs`; hits beyond `points` in it are refused until it
 * closes. Unlike RateLimiterMemory there is no timer per key: keys live in two generations of Maps, each
 * generation younger than one window, and a window always closes before the generation holding it is dropped.
 * Whole generations go at once, so memory holds at most the keys hit in the last two windows.
 */
export class WindowCounts {
  // A key's count and the opening of its window, packed into one integer (no object per key, and a small
  // integer V8 stores inline for the usual limits): (opened - since) * stride + count, where `since` is when the
  // key's generation began and count is at most points + 1.
  private readonly stride: number;
  private current = new Map<string, number>();
  private previous = new Map<string, number>();
  private currentSince: number;
  private previousSince: number;

  constructor(
    /** At least 1 (the configuration allows no less). */
    private readonly points: number,
    private readonly durationMs: number,
    // Monotonic by default: a wall clock set back must neither reopen nor stretch a window.
    private readonly now: () => number = () => Math.floor(performance.now()),
  ) {
    this.stride = points + 2;
    this.currentSince = this.previousSince = now();
  }

  /** Keys held now: those hit in the last two windows at most. */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  /** Counts one hit; answers 0 when it is within the key's budget, else the milliseconds until its window closes. */
  hit(key: string): number {
    const now = this.now();
    this.dropClosedGenerations(now);
    const fromCurrent = this.current.get(key);
    const generation = fromCurrent === undefined ? this.previous : this.current;
    const since = fromCurrent === undefined ? this.previousSince : this.currentSince;
    const packed = fromCurrent ?? this.previous.get(key);
    if (packed !== undefined) {
      const count = packed % this.stride;
      const closesAt = since + (packed - count) / this.stride + this.durationMs;
      if (closesAt > now) {
        // Counting stops one past the budget: the key stays refused until its window closes, as before.
        const counted = Math.min(count + 1, this.points + 1);
        generation.set(key, packed - count + counted);
        return counted > this.points ? closesAt - now : 0;
      }
      generation.delete(key);
    }
    this.current.set(key, (now - this.currentSince) * this.stride + 1);
    return 0;
  }

  /**
   * Every window in the current generation opened before one duration after it began: once that has passed, the
   * previous generation holds only closed windows and goes, and a new generation begins.
   */
  private dropClosedGenerations(now: number): void {
    const age = now - this.currentSince;
    if (age < this.durationMs) return;
    this.previous = age < 2 * this.durationMs ? this.current : new Map();
    this.previousSince = this.currentSince;
    this.current = new Map();
    this.currentSince = now;
  }
}
