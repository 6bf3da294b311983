import type { Knex } from '@mikro-orm/postgresql';
import type { RateLimit, RateLimitStore } from '../config/env';
import { rateLimited } from '../errors/app-error';
import { sharedWindowCountsOf } from './shared-window-counts';
import { WindowCounts } from './window-counts';

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

/** Answers 0 for a request within the key's budget, else the milliseconds until the key's window closes. */
type CountRequest = (key: string) => Promise<number>;

function countInMemory(limit: RequestLimit): CountRequest {
  const counts = new WindowCounts(limit.points, limit.durationSeconds * 1000);
  return async (key) => counts.hit(key);
}

function countInPostgres(knex: Knex, limit: RequestLimit): CountRequest {
  const shared = sharedWindowCountsOf(knex);
  const window = { points: limit.points, durationMs: limit.durationSeconds * 1000 };
  const keyPrefix = `${limit.name}:`;
  // If PostgreSQL is unreachable, each instance keeps limiting on its own instead of failing the request.
  const insurance = new WindowCounts(limit.points, window.durationMs);
  return (key) => shared.hit(keyPrefix + key, window).catch(() => insurance.hit(key));
}

export function createRequestLimiter(store: LimiterStore, limit: RequestLimit, onLimited: (name: string) => void = () => {}): RequestLimiter {
  const count = store.kind === 'memory' ? countInMemory(limit) : countInPostgres(store.knex, limit);
  return {
    name: limit.name,
    async consume(key) {
      const msBeforeNext = await count(key);
      if (msBeforeNext === 0) return;
      onLimited(limit.name);
      throw rateLimited(Math.max(1, Math.ceil(msBeforeNext / 1000)), limit.detail);
    },
  };
}
