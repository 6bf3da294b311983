/**
 * Runs work for one order at a time within this process. Concurrent session requests for the same order then
 * wait here, holding no database connection, instead of each holding a pooled connection while blocked on the
 * row lock (which across instances still does the serializing).
 */
export class PerOrderQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(orderId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(orderId) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    this.tails.set(orderId, tail);
    void tail.then(() => {
      if (this.tails.get(orderId) === tail) this.tails.delete(orderId);
    });
    return result;
  }
}
