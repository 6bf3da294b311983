import { createSigner, createVerifier } from 'fast-jwt';
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

interface Claims {
  sub?: unknown;
  openid?: unknown;
  exp?: unknown;
  nbf?: unknown;
}

/** Expiry and not-before are checked against the injected clock (the verifier is built once, its clock would be fixed). */
function isCurrent(claims: Claims, nowSeconds: number): boolean {
  if (typeof claims.exp !== 'number' || nowSeconds >= claims.exp) return false;
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > nowSeconds)) return false;
  return true;
}

/**
 * HS256 tokens, signed and verified with fast-jwt: the verifier is built once (a per-call verify re-reads its
 * options and costs far more than the HMAC). Same header and claims as before: `sub`, `openid`, `iat`, `exp`,
 * `iss`, `aud`.
 */
export function createTravelerTokens(secret: string, ttlSeconds: number): TravelerTokens {
  // `iat` comes from the injected clock: the signer keeps a payload's own iat.
  const sign = createSigner({ key: secret, algorithm: ALGORITHM });
  const verifyToken = createVerifier({
    key: secret,
    algorithms: [ALGORITHM],
    allowedIss: ISSUER,
    allowedAud: AUDIENCE,
    requiredClaims: ['sub', 'iss', 'aud', 'exp'],
    ignoreExpiration: true,
    ignoreNotBefore: true,
  });
  return {
    ttlSeconds,
    issue(traveler, now) {
      const iat = Math.floor(now.getTime() / 1000);
      return sign({ openid: traveler.openid, iat, exp: iat + ttlSeconds, aud: AUDIENCE, iss: ISSUER, sub: traveler.userId });
    },
    verify(token, now) {
      let claims: Claims;
      try {
        claims = verifyToken(token) as Claims;
      } catch {
        throw unauthorized();
      }
      if (typeof claims !== 'object' || claims === null) throw unauthorized();
      if (typeof claims.sub !== 'string' || !claims.sub || typeof claims.openid !== 'string') throw unauthorized();
      if (!isCurrent(claims, Math.floor(now.getTime() / 1000))) throw unauthorized();
      return { userId: claims.sub, openid: claims.openid };
    },
  };
}
