import type { Request, RequestHandler } from 'express';
import type { RequestLimiter } from '../rate-limits/request-limiter';
import { currentTraveler } from './authenticate';

/** Counts the request against `limiter` under `keyOf(req)`; over the limit, 429 RATE_LIMITED with Retry-After. */
export function limitRequests(limiter: RequestLimiter, keyOf: (req: Request) => string): RequestHandler {
  return async (req, _res, next) => {
    await limiter.consume(keyOf(req));
    next();
  };
}

/** Runs after the bearer check, so the traveler is known. */
export const byTraveler = (req: Request): string => currentTraveler(req).userId;

/** `req.ip` honours TRUST_PROXY: behind a trusted proxy it is the client's address, not the proxy's. */
export const byClientIp = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

export interface RequestLimiters {
  orderCreation: RequestLimiter;
  sessionRequests: RequestLimiter;
  logins: RequestLimiter;
}
