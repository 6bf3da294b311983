import type { Knex } from '@mikro-orm/postgresql';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimit, RateLimitStore } from '../config/env';
import { rateLimited } from '../errors/app-error';

export interface RequestLimit extends RateLimit {
  /** Names the counters in the store (`rate_limits.key` starts with it) and the `limit` metric label. */
  name: string;
  /** Shown to the client in the 429 problem. */
  detail: string;
}

/** Counts one request per key; throws 429 RATE_LIMITED with Retry-After once the key's budget is spent. */
export interface RequestLimiter {
  readonly name: string;
  consume(key: string): Promise<void>;
}

export interface LimiterStore {
  kind: RateLimitStore;
  knex: Knex;
}

function createStoreLimiter(store: LimiterStore, keyPrefix: string, points: number, duration: number): RateLimiterAbstract {
  if (store.kind === 'memory') return new RateLimiterMemory({ keyPrefix, points, duration });
  // Shared by every instance through the `rate_limits` table (a migration creates it); if PostgreSQL is
  // unreachable, each instance keeps limiting on its own instead of failing the request.
  return new RateLimiterPostgres({
    storeClient: store.knex,
    storeType: 'knex',
    tableName: 'rate_limits',
    tableCreated: true,
    keyPrefix,
    points,
    duration,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix: `${keyPrefix}-insurance`, points, duration }),
  });
}

export function createRequestLimiter(store: LimiterStore, limit: RequestLimit, onLimited: (name: string) => void = () => {}): RequestLimiter {
  const limiter = createStoreLimiter(store, limit.name, limit.points, limit.durationSeconds);
  return {
    name: limit.name,
    async consume(key) {
      try {
        await limiter.consume(key);
      } catch (res) {
        if (!(res instanceof RateLimiterRes)) throw res;
        onLimited(limit.name);
        throw rateLimited(Math.max(1, Math.ceil(res.msBeforeNext / 1000)), limit.detail);
      }
    },
  };
}
