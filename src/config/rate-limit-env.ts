import type { EnvReader } from './env-reader';

/** At most `points` requests per `durationSeconds`, per key (a traveler, a client IP). */
export interface RateLimit {
  points: number;
  durationSeconds: number;
}

export interface RateLimits {
  /** Per traveler: each order holds a seat lock for SEAT_LOCK_MINUTES. */
  orderCreation: RateLimit;
  /** Per traveler: each new session may call WeChat Pay. */
  sessionRequests: RateLimit;
  /** Per client IP (TRUST_PROXY decides which address that is). */
  logins: RateLimit;
}

/** `10/600`: ten per 600 seconds. */
function readRate(read: EnvReader, name: string, fallback: RateLimit): RateLimit {
  const raw = read.string(name);
  if (raw === undefined) return fallback;
  const match = /^(\d{1,6})\/(\d{1,6})$/.exec(raw);
  const points = Number(match?.[1]);
  const durationSeconds = Number(match?.[2]);
  if (!match || points < 1 || durationSeconds < 1 || durationSeconds > 3_600) {
    read.problems.push(`${name} must be <requests>/<seconds> (e.g. "${fallback.points}/${fallback.durationSeconds}"), seconds at most 3600, got "${raw}"`);
    return fallback;
  }
  return { points, durationSeconds };
}

export function readRateLimits(read: EnvReader): RateLimits {
  return {
    orderCreation: readRate(read, 'RATE_LIMIT_ORDERS', { points: 10, durationSeconds: 600 }),
    sessionRequests: readRate(read, 'RATE_LIMIT_SESSIONS', { points: 20, durationSeconds: 60 }),
    logins: readRate(read, 'RATE_LIMIT_LOGINS', { points: 30, durationSeconds: 60 }),
  };
}
