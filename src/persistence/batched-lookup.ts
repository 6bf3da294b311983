/**
 * Lookups by key asked for in the same turn of the event loop go to the database as one statement
 * (`where id = any($1)`): under load, many polls miss the status cache at once, and each round trip to
 * PostgreSQL costs more than the read itself. A lookup waits at most until the next turn.
 */
export function batchedLookup<Row>(
  readMany: (keys: string[]) => Promise<Row[]>,
  keyOf: (row: Row) => string,
  maxBatch = 100,
): (key: string) => Promise<Row | undefined> {
  let pending = new Map<string, { resolve: (row: Row | undefined) => void; reject: (err: unknown) => void }[]>();
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const batch = pending;
    pending = new Map();
    readMany([...batch.keys()]).then(
      (rows) => {
        const found = new Map(rows.map((row) => [keyOf(row), row]));
        for (const [key, waiters] of batch) for (const waiter of waiters) waiter.resolve(found.get(key));
      },
      (err: unknown) => {
        for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(err);
      },
    );
  };
  return (key) =>
    new Promise((resolve, reject) => {
      pending.set(key, [...(pending.get(key) ?? []), { resolve, reject }]);
      if (pending.size >= maxBatch) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(() => {
          if (scheduled) flush();
        });
      }
    });
}
