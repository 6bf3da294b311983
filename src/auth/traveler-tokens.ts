import jwt from 'jsonwebtoken';
import { unauthorized } from '../errors/app-error';

/** Who is calling: our user id (the token's `sub`) and the openid WeChat gave for our Mini Program. */
export interface Traveler {
  userId: string;
  openid: string;
}

const ISSUER = 'wechat-payment-session';
const AUDIENCE = 'mini-program';
// Pinned: a token signed with any other algorithm, or `none`, is refused.
const ALGORITHM = 'HS256';

export interface TravelerTokens {
  ttlSeconds: number;
  issue(traveler: Traveler, now: Date): string;
  verify(token: string, now: Date): Traveler;
}

export function createTravelerTokens(secret: string, ttlSeconds: number): TravelerTokens {
  return {
    ttlSeconds,
    issue(traveler, now) {
      const iat = Math.floor(now.getTime() / 1000);
      return jwt.sign({ openid: traveler.openid, iat, exp: iat + ttlSeconds }, secret, {
        algorithm: ALGORITHM,
        subject: traveler.userId,
        issuer: ISSUER,
        audience: AUDIENCE,
      });
    },
    verify(token, now) {
      try {
        const claims = jwt.verify(token, secret, {
          algorithms: [ALGORITHM],
          issuer: ISSUER,
          audience: AUDIENCE,
          clockTimestamp: Math.floor(now.getTime() / 1000),
        });
        if (typeof claims === 'string' || !claims.sub || typeof claims.openid !== 'string' || typeof claims.exp !== 'number') {
          throw unauthorized();
        }
        return { userId: claims.sub, openid: claims.openid };
      } catch {
        throw unauthorized();
      }
    },
  };
}
