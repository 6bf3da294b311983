import type { Knex } from '@mikro-orm/postgresql';
import type { RateLimitStore } from '../config/env';
import { createRequestLimiter } from '../rate-limits/request-limiter';

export interface StatusPollLimiter {
  consume(userId: string, orderId: string): Promise<void>;
}

/** One poll per 3 s per traveler per order; plus a per-traveler ceiling across all orders. */
export function createStatusPollLimiter(kind: RateLimitStore, knex: Knex, onLimited: () => void = () => {}): StatusPollLimiter {
  const store = { kind, knex };
  const perOrder = createRequestLimiter(
    store,
    { name: 'poll-order', points: 1, durationSeconds: 3, detail: 'Poll at most once every 3 seconds per order.' },
    onLimited,
  );
  const perTraveler = createRequestLimiter(
    store,
    { name: 'poll-traveler', points: 30, durationSeconds: 60, detail: 'Too many status polls across orders; slow down.' },
    onLimited,
  );
  return {
    async consume(userId, orderId) {
      await perOrder.consume(`${userId}:${orderId}`);
      await perTraveler.consume(userId);
    },
  };
}
