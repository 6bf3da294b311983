import jwt from 'jsonwebtoken';
import { User } from '../../src/persistence/entities/user';
import { call } from './helpers/http-client';
import { startTestStack, type TestStack } from './helpers/test-stack';
import { createPendingOrder, loginAs } from './helpers/travelers';

const SECRET = 'test-secret-that-is-at-least-32-characters-long';

describe('POST /auth/wechat/login and bearer tokens', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  const login = (code: string) =>
    call<{ token: string; expires_in: number; session_key?: string }>(stack.api.url, 'POST', '/auth/wechat/login', { body: { code } });

  describe('given a wx.login code', () => {
    it("answers a JWT whose sub is our user id and whose openid is the traveler's; session_key stays on the server", async () => {
      const answer = await login('carol-1');
      expect(answer.status).toBe(200);
      expect(answer.body.expires_in).toBe(7200);
      expect(answer.text).not.toContain('session_key');
      const claims = jwt.verify(answer.body.token, SECRET, { algorithms: ['HS256'] }) as jwt.JwtPayload;
      const user = await stack.database.em.fork().findOneOrFail(User, { id: claims.sub as string });
      expect(claims.openid).toBe(user.openid);
      expect(claims.exp).toBeGreaterThan(claims.iat as number);
      expect(user.sessionKey).toEqual(expect.any(String));
    });
  });

  describe('given two codes of the same traveler', () => {
    it('maps both to one user', async () => {
      const first = jwt.decode((await login('dave-1')).body.token) as jwt.JwtPayload;
      const second = jwt.decode((await login('dave-2')).body.token) as jwt.JwtPayload;
      expect(second.sub).toBe(first.sub);
    });
  });

  describe('given a code used twice', () => {
    it('answers 401 WECHAT_LOGIN_FAILED the second time', async () => {
      expect((await login('erin-1')).status).toBe(200);
      const again = await login('erin-1');
      expect(again.status).toBe(401);
      expect(again.body).toMatchObject({ code: 'WECHAT_LOGIN_FAILED' });
    });
  });

  describe.each([
    [
      'alg none',
      () => jwt.sign({ openid: 'o1' }, '', { algorithm: 'none', subject: 'x', issuer: 'wechat-payment-session', audience: 'mini-program', expiresIn: 600 }),
    ],
    [
      'another secret',
      () =>
        jwt.sign({ openid: 'o1' }, 'another-secret-of-at-least-32-characters', {
          subject: 'x',
          issuer: 'wechat-payment-session',
          audience: 'mini-program',
          expiresIn: 600,
        }),
    ],
    [
      'an expired token',
      () =>
        jwt.sign({ openid: 'o1', exp: Math.floor(Date.now() / 1000) - 10 }, SECRET, {
          subject: 'x',
          issuer: 'wechat-payment-session',
          audience: 'mini-program',
        }),
    ],
    ['a wrong audience', () => jwt.sign({ openid: 'o1' }, SECRET, { subject: 'x', issuer: 'wechat-payment-session', audience: 'admin', expiresIn: 600 })],
    ['no exp', () => jwt.sign({ openid: 'o1' }, SECRET, { subject: 'x', issuer: 'wechat-payment-session', audience: 'mini-program' })],
    ['garbage', () => 'not.a.token'],
  ])('given %s as the bearer token', (_name, makeToken) => {
    it('answers 401 on every traveler route', async () => {
      const token = makeToken();
      const order = await call(stack.api.url, 'POST', '/orders', {
        token,
        body: { amount: 1, description: 'x' },
        headers: { 'Idempotency-Key': 'key-00000001' },
      });
      const status = await call(stack.api.url, 'GET', '/payments/00000000-0000-4000-8000-000000000000/status', { token });
      const session = await call(stack.api.url, 'POST', '/payments/session', { token, body: { order_id: 'x' } });
      expect([order.status, status.status, session.status]).toEqual([401, 401, 401]);
      expect(order.body.code).toBe('UNAUTHORIZED');
    });
  });

  describe('given a token past its 2 hours', () => {
    it('answers 401', async () => {
      const traveler = await loginAs(stack);
      await createPendingOrder(stack, traveler);
      stack.clock.advance(7201 * 1000);
      const answer = await call(stack.api.url, 'GET', '/payments/00000000-0000-4000-8000-000000000000/status', { token: traveler.token });
      expect(answer.status).toBe(401);
    });
  });
});
