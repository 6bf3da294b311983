import type { RateLimits } from '../config/env';
import { createRequestLimiter, type LimiterStore, type RequestLimiter } from './request-limiter';

/** The abuse limits beyond polling, in the same store as the poll limit (RATE_LIMIT_STORE). */
export function createRequestLimiters(
  store: LimiterStore,
  limits: RateLimits,
  onLimited: (name: string) => void,
): { orderCreation: RequestLimiter; sessionRequests: RequestLimiter; logins: RequestLimiter } {
  const per = (seconds: number) => (seconds === 60 ? 'a minute' : `${seconds} seconds`);
  const { orderCreation, sessionRequests, logins } = limits;
  return {
    orderCreation: createRequestLimiter(
      store,
      { name: 'order-create', ...orderCreation, detail: `At most ${orderCreation.points} new orders per traveler in ${per(orderCreation.durationSeconds)}.` },
      onLimited,
    ),
    sessionRequests: createRequestLimiter(
      store,
      {
        name: 'payment-session',
        ...sessionRequests,
        detail: `At most ${sessionRequests.points} payment session requests per traveler in ${per(sessionRequests.durationSeconds)}.`,
      },
      onLimited,
    ),
    logins: createRequestLimiter(
      store,
      { name: 'login-ip', ...logins, detail: `At most ${logins.points} logins from one address in ${per(logins.durationSeconds)}.` },
      onLimited,
    ),
  };
}
