import type { Logger } from '../observability/logger';
import { listenForOrderChanges, type OrderChangeListener } from './order-change-listener';
import { OrderStatusCache } from './order-status-cache';

// PostgreSQL delivers every notification to a connected listener (a full queue fails the writer's commit instead);
// the age limit only bounds the harm of a loss nobody foresaw. Travelers poll every 3 s, so most entries are hit.
const STATUS_CACHE_MAX_AGE_MS = 120_000;

/** The status cache and the LISTEN connection that keeps it true; nothing is listened for when it is off. */
export function startStatusCache(maxEntries: number, databaseUrl: string, logger: Logger) {
  const cache = new OrderStatusCache({ maxEntries: maxEntries, maxAgeMs: STATUS_CACHE_MAX_AGE_MS });
  const waiters = new Map<string, (() => void)[]>();
  let listening = false;
  const wakeAll = () => {
    for (const resolves of waiters.values()) resolves.forEach((resolve) => resolve());
    waiters.clear();
  };
  const orderChangeHeard = (orderId: string) =>
    new Promise<void>((resolve) => {
      if (!listening) return resolve();
      waiters.set(orderId, [...(waiters.get(orderId) ?? []), resolve]);
    });
  if (maxEntries === 0) return { cache, orderChangeHeard, listener: undefined as OrderChangeListener | undefined };
  const listener = listenForOrderChanges(
    databaseUrl,
    {
      changed(orderId) {
        cache.invalidate(orderId);
        waiters.get(orderId)?.forEach((resolve) => resolve());
        waiters.delete(orderId);
      },
      listening() {
        cache.startTrusting();
        listening = true;
      },
      lost() {
        listening = false;
        cache.stopTrusting();
        wakeAll();
      },
    },
    logger,
  );
  return { cache, orderChangeHeard, listener: listener as OrderChangeListener | undefined };
}

export type RunningStatusCache = ReturnType<typeof startStatusCache>;
