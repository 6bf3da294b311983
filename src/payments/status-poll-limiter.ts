import type { Knex } from '@mikro-orm/postgresql';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimitStore } from '../config/env';
import { rateLimited } from '../errors/app-error';

/** One poll per 3 s per traveler per order; plus a per-traveler ceiling across all orders. */
const PER_ORDER = { points: 1, duration: 3 };
const PER_TRAVELER = { points: 30, duration: 60 };

export interface StatusPollLimiter {
  consume(userId: string, orderId: string): Promise<void>;
}

function createLimiter(store: RateLimitStore, knex: Knex, keyPrefix: string, opts: { points: number; duration: number }): RateLimiterAbstract {
  if (store === 'memory') return new RateLimiterMemory({ keyPrefix, ...opts });
  // Shared by every instance through the `rate_limits` table (a migration creates it); if PostgreSQL is
  // unreachable, each instance keeps limiting on its own instead of failing the poll.
  return new RateLimiterPostgres({
    storeClient: knex,
    storeType: 'knex',
    tableName: 'rate_limits',
    tableCreated: true,
    keyPrefix,
    ...opts,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix: `${keyPrefix}-insurance`, ...opts }),
  });
}

async function consumeOrRefuse(limiter: RateLimiterAbstract, key: string, detail: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (res) {
    if (!(res instanceof RateLimiterRes)) throw res;
    throw rateLimited(Math.max(1, Math.ceil(res.msBeforeNext / 1000)), detail);
  }
}

export function createStatusPollLimiter(store: RateLimitStore, knex: Knex, onLimited: () => void = () => {}): StatusPollLimiter {
  const perTraveler = createLimiter(store, knex, 'poll-traveler', PER_TRAVELER);
  const perOrder = createLimiter(store, knex, 'poll-order', PER_ORDER);
  return {
    async consume(userId, orderId) {
      try {
        await consumeOrRefuse(perOrder, `${userId}:${orderId}`, 'Poll at most once every 3 seconds per order.');
        await consumeOrRefuse(perTraveler, userId, 'Too many status polls across orders; slow down.');
      } catch (err) {
        onLimited();
        throw err;
      }
    },
  };
}
