import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { createTravelerTokens } from '../../../src/auth/traveler-tokens';
import { AppError } from '../../../src/errors/app-error';

const SECRET = 'a-test-secret-of-at-least-32-characters!';
const now = new Date('2026-12-01T10:00:00Z');
const nowSeconds = Math.floor(now.getTime() / 1000);
const tokens = createTravelerTokens(SECRET, 7200);
const traveler = { userId: '6f1c2a6e-6d0e-4d4e-9d5c-1f2a3b4c5d6e', openid: 'o-traveler' };
const claims = { iss: 'wechat-payment-session', aud: 'mini-program', sub: traveler.userId };

function refused(token: string, at = now): AppError | undefined {
  try {
    tokens.verify(token, at);
    return undefined;
  } catch (err) {
    return err as AppError;
  }
}

/** A hand-made HS256 token, to reach claims no library would sign. */
function handMade(header: object, payload: object, secret = SECRET): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part(header)}.${part(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

describe('traveler tokens', () => {
  describe('given a token issued now', () => {
    it('verifies to the same traveler', () => {
      expect(tokens.verify(tokens.issue(traveler, now), now)).toEqual(traveler);
    });

    it('carries the same header and claims as before (HS256 JWT with sub, openid, iat, exp, iss, aud)', () => {
      const token = tokens.issue(traveler, now);
      expect(jwt.decode(token, { complete: true })).toMatchObject({
        header: { alg: 'HS256', typ: 'JWT' },
        payload: { ...claims, openid: traveler.openid, iat: nowSeconds, exp: nowSeconds + 7200 },
      });
    });

    it('is refused once its exp is reached', () => {
      expect(refused(tokens.issue(traveler, now), new Date(now.getTime() + 7200_000))).toMatchObject({ status: 401 });
    });
  });

  describe('given a token signed by jsonwebtoken with the same claims', () => {
    it('verifies (tokens issued before the change stay valid)', () => {
      const token = jwt.sign({ openid: traveler.openid, iat: nowSeconds, exp: nowSeconds + 600 }, SECRET, {
        algorithm: 'HS256',
        subject: traveler.userId,
        issuer: claims.iss,
        audience: claims.aud,
      });
      expect(tokens.verify(token, now)).toEqual(traveler);
    });
  });

  describe.each([
    ['alg none', jwt.sign({ openid: 'o1', exp: nowSeconds + 600 }, '', { algorithm: 'none', ...{ subject: 'x', issuer: claims.iss, audience: claims.aud } })],
    ['another secret', handMade({ alg: 'HS256', typ: 'JWT' }, { ...claims, openid: 'o1', exp: nowSeconds + 600 }, 'another-secret-of-at-least-32-characters')],
    ['HS512', jwt.sign({ ...claims, openid: 'o1', exp: nowSeconds + 600 }, SECRET, { algorithm: 'HS512' })],
    ['an expired exp', handMade({ alg: 'HS256', typ: 'JWT' }, { ...claims, openid: 'o1', exp: nowSeconds - 1 })],
    ['no exp', handMade({ alg: 'HS256', typ: 'JWT' }, { ...claims, openid: 'o1' })],
    ['a string exp', handMade({ alg: 'HS256', typ: 'JWT' }, { ...claims, openid: 'o1', exp: String(nowSeconds + 600) })],
    ['an nbf in the future', handMade({ alg: 'HS256', typ: 'JWT' }, { ...claims, openid: 'o1', exp: nowSeconds + 600, nbf: nowSeconds + 60 })],
    ['a wrong audience', handMade({ alg: 'HS256', typ: 'JWT' }, { ...claims, aud: 'admin', openid: 'o1', exp: nowSeconds + 600 })],
    ['a wrong issuer', handMade({ alg: 'HS256', typ: 'JWT' }, { ...claims, iss: 'someone-else', openid: 'o1', exp: nowSeconds + 600 })],
    ['no sub', handMade({ alg: 'HS256', typ: 'JWT' }, { iss: claims.iss, aud: claims.aud, openid: 'o1', exp: nowSeconds + 600 })],
    ['no openid', handMade({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: nowSeconds + 600 })],
    ['a payload that is not an object', handMade({ alg: 'HS256', typ: 'JWT' }, ['x'])],
    [
      'a tampered payload',
      `${tokens.issue(traveler, now).split('.')[0]}.${Buffer.from(JSON.stringify({ ...claims, sub: 'other', openid: 'o1', exp: nowSeconds + 600 })).toString('base64url')}.${tokens.issue(traveler, now).split('.')[2]}`,
    ],
    ['garbage', 'not.a.token'],
  ])('given %s', (_name, token) => {
    it('is refused with 401 UNAUTHORIZED', () => {
      expect(refused(token)).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    });
  });
});
