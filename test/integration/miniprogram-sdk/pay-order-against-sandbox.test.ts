import { createPaymentClient, memoryStorage, type TokenStorage } from '../../../miniprogram-sdk/src';
import { call } from '../helpers/http-client';
import { startTestStack, type TestStack } from '../helpers/test-stack';
import { answersTo, createWxShim, type WxShimOptions } from './wx-shim';

/** The SDK in Node, against the real API in sandbox mode: wx.request is HTTP, wx.requestPayment is the sandbox. */
describe('miniprogram-sdk against the server in sandbox mode', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  function clientFor(options: WxShimOptions = {}, storage: TokenStorage = memoryStorage()) {
    const wx = createWxShim({ sandboxUrl: stack.sandbox.url, ...options });
    return { wx, client: createPaymentClient({ baseUrl: stack.api.url, wx, storage }) };
  }

  const TICKET = { amount: 8800, description: 'G7311 seat 05A' };

  describe('given a traveler who pays', () => {
    it('resolves paid, after passing wx.requestPayment the session exactly as the server answered it', async () => {
      const { wx, client } = clientFor();
      const order = await client.createOrder(TICKET);
      const result = await client.payOrder(order.order_id);
      expect(result).toEqual({ outcome: 'paid', orderId: order.order_id });
      const [session] = answersTo(wx, 'POST', /^\/payments\/session$/);
      expect(wx.payments).toEqual([session?.answer?.data]);
    });

    it('first logs in with wx.login, then sends the amount as integer fen and a bearer token', async () => {
      const { wx, client } = clientFor();
      await client.createOrder(TICKET);
      const [login, order] = wx.requests;
      expect(login?.path).toBe('/auth/wechat/login');
      expect(login?.data).toEqual({ code: wx.logins[0] });
      expect(order?.data).toEqual({ amount: 8800, description: TICKET.description });
      expect(order?.header.Authorization).toMatch(/^Bearer \S+$/);
    });

    it('polls no sooner than 2 s after the sheet closes and then every 3 s at most', async () => {
      const { wx, client } = clientFor();
      const order = await client.createOrder(TICKET);
      await client.payOrder(order.order_id);
      const polls = answersTo(wx, 'GET', /\/status$/);
      expect(polls.length).toBeGreaterThan(0);
      polls.slice(1).forEach((poll, i) => expect(poll.at - (polls[i]?.at ?? 0)).toBeGreaterThanOrEqual(3000));
      expect(polls.every((poll) => poll.answer?.statusCode === 200)).toBe(true);
    });
  });

  describe('given the traveler closes the payment sheet', () => {
    it('resolves cancelled_by_user and the order stays payable', async () => {
      const { wx, client } = clientFor({ paymentResult: 'cancel' });
      const order = await client.createOrder(TICKET);
      expect(await client.payOrder(order.order_id)).toEqual({ outcome: 'cancelled_by_user', orderId: order.order_id });
      expect(answersTo(wx, 'GET', /\/status$/)).toHaveLength(0);
      const token = String(wx.requests.at(-1)?.header.Authorization).replace('Bearer ', '');
      const status = await call(stack.api.url, 'GET', `/payments/${order.order_id}/status`, { token });
      expect(status.body.status).toBe('pending');
    });
  });

  describe('given the payment sheet fails', () => {
    it("resolves failed with WeChat's errMsg", async () => {
      const { client } = clientFor({ paymentResult: 'fail' });
      const order = await client.createOrder(TICKET);
      expect(await client.payOrder(order.order_id)).toEqual({ outcome: 'failed', orderId: order.order_id, errMsg: 'requestPayment:fail 支付失败' });
    });
  });

  describe('given WeChat Pay fails once behind the API', () => {
    afterEach(() => call(stack.sandbox.url, 'DELETE', '/sandbox/faults'));

    it.each([
      ['502 WECHAT_UNAVAILABLE', { status: 400, code: 'PARAM_ERROR', count: 1 }, 502],
      ['504 WECHAT_TIMEOUT', { delayMs: 2500, count: 1 }, 504],
    ])('when the session answers %s, then it retries the same order and resolves paid', async (_label, fault, status) => {
      const { wx, client } = clientFor();
      const order = await client.createOrder(TICKET);
      await call(stack.sandbox.url, 'POST', '/sandbox/faults', { body: { path: '/v3/pay/transactions/jsapi', ...fault } });
      expect(await client.payOrder(order.order_id)).toEqual({ outcome: 'paid', orderId: order.order_id });
      const sessions = answersTo(wx, 'POST', /^\/payments\/session$/);
      expect(sessions.map((s) => s.answer?.statusCode)).toEqual([status, 200]);
      expect(sessions.map((s) => s.data)).toEqual([{ order_id: order.order_id }, { order_id: order.order_id }]);
    });
  });

  describe('given the status was polled moments before', () => {
    it('waits out the 429 Retry-After, then resolves paid', async () => {
      let poll: () => Promise<unknown> = async () => undefined;
      const { wx, client } = clientFor({ afterPayment: async () => void (await poll()) });
      const order = await client.createOrder(TICKET);
      const token = String(wx.requests.at(-1)?.header.Authorization).replace('Bearer ', '');
      poll = () => call(stack.api.url, 'GET', `/payments/${order.order_id}/status`, { token });
      expect(await client.payOrder(order.order_id)).toEqual({ outcome: 'paid', orderId: order.order_id });
      const [limited, next] = answersTo(wx, 'GET', /\/status$/);
      expect(limited?.answer?.statusCode).toBe(429);
      const retryAfter = Number(limited?.answer?.header['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect((next?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(Math.max(3, retryAfter) * 1000);
      expect(next?.answer?.data).toMatchObject({ status: 'paid' });
    });
  });

  describe('given the seat lock ran out before paying', () => {
    it('resolves expired without opening the payment sheet', async () => {
      const { wx, client } = clientFor();
      const order = await client.createOrder(TICKET);
      stack.clock.advance(16 * 60_000);
      expect(await client.payOrder(order.order_id)).toEqual({ outcome: 'expired', orderId: order.order_id });
      expect(wx.payments).toHaveLength(0);
    });
  });

  describe('given an order that is already paid', () => {
    it('resolves paid again without a second payment sheet', async () => {
      const { wx, client } = clientFor();
      const order = await client.createOrder(TICKET);
      await client.payOrder(order.order_id);
      expect(await client.payOrder(order.order_id)).toEqual({ outcome: 'paid', orderId: order.order_id });
      expect(wx.payments).toHaveLength(1);
    });
  });

  describe('given an order id the server does not know', () => {
    it('resolves error with the problem code ORDER_NOT_FOUND and the request id', async () => {
      const { client } = clientFor();
      const result = await client.payOrder('3f2b8c1e-6a1d-4f7b-9c3e-2d5a8b7c6e10');
      expect(result).toMatchObject({ outcome: 'error', code: 'ORDER_NOT_FOUND', httpStatus: 404 });
      expect(result.outcome === 'error' && result.requestId).toMatch(/\S{8,}/);
    });
  });

  describe('given the answer to POST /orders is lost on the way back', () => {
    it('re-sends the same Idempotency-Key and gets the same order back', async () => {
      const { wx, client } = clientFor({ loseAnswer: ({ path, nth }) => path === '/orders' && nth === 1 });
      const order = await client.createOrder(TICKET);
      const [first, second] = answersTo(wx, 'POST', /^\/orders$/);
      expect(first?.header['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
      expect(second?.header['Idempotency-Key']).toBe(first?.header['Idempotency-Key']);
      expect(second?.answer?.header['idempotent-replayed']).toBe('true');
      expect(order.order_id).toBe((second?.answer?.data as { order_id: string }).order_id);
    });

    it('uses a new key for the next order', async () => {
      const { wx, client } = clientFor();
      await client.createOrder(TICKET);
      await client.createOrder(TICKET);
      const keys = answersTo(wx, 'POST', /^\/orders$/).map((request) => request.header['Idempotency-Key']);
      expect(new Set(keys).size).toBe(2);
    });
  });

  describe('given a stored token the server no longer accepts', () => {
    it('logs in again once and repeats the request', async () => {
      const storage = memoryStorage();
      storage.set('wechat-payment-session.token', 'expired.token.value');
      const { wx, client } = clientFor({}, storage);
      await client.createOrder(TICKET);
      expect(wx.requests.map((r) => `${r.answer?.statusCode} ${r.method} ${r.path}`)).toEqual([
        '401 POST /orders',
        '200 POST /auth/wechat/login',
        '201 POST /orders',
      ]);
      expect(storage.get('wechat-payment-session.token')).not.toBe('expired.token.value');
    });
  });

  describe('given an amount in yuan', () => {
    it.each([0.01, 88.5, 0, -100, Number.NaN])('refuses %p before any request', async (amount) => {
      const { wx, client } = clientFor();
      await expect(client.createOrder({ amount, description: 'G7311' })).rejects.toThrow(TypeError);
      expect(wx.requests).toHaveLength(0);
    });
  });
});
