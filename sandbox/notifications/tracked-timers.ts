/** Timers the sandbox owns, so `close()` can cancel every pending retry and delayed answer. */
export class TrackedTimers {
  private readonly pending = new Set<NodeJS.Timeout>();

  schedule(delayMs: number, run: () => void): void {
    const timer = setTimeout(
      () => {
        this.pending.delete(timer);
        run();
      },
      Math.max(0, delayMs),
    );
    this.pending.add(timer);
  }

  clearAll(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}
