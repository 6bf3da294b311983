import { createVerify } from 'node:crypto';
import { call } from './helpers/http-client';
import { metricValue } from './helpers/metrics';
import { findOrder, historyOf, setOrderFields } from './helpers/orders-in-database';
import { startTestStack, type TestStack } from './helpers/test-stack';
import { createPendingOrder, loginAs, payInSandbox, requestSession, sandboxCalls, waitForStatus, type LoggedInTraveler } from './helpers/travelers';

const JSAPI = '/v3/pay/transactions/jsapi';

describe('POST /payments/session', () => {
  let stack: TestStack;
  let traveler: LoggedInTraveler;
  beforeAll(async () => {
    stack = await startTestStack();
    traveler = await loginAs(stack, 'alice');
  });
  afterAll(() => stack.stop());

  const sandboxTransaction = async (outTradeNo: string) =>
    (await call<{ prepayBodies: string[]; transaction: Record<string, unknown> }>(stack.sandbox.url, 'GET', `/sandbox/transactions/${outTradeNo}`)).body;

  describe('given a pending order', () => {
    describe('when a session is requested', () => {
      it('answers the JSAPI parameters and writes prepay_id', async () => {
        const order = await createPendingOrder(stack, traveler);
        const answer = await requestSession(stack, traveler, order.order_id);
        expect(answer.status).toBe(200);
        const session = answer.body;
        expect(session.appId).toBe(stack.sandbox.credentials.appId);
        expect(session.signType).toBe('RSA');
        expect(session.timeStamp).toMatch(/^\d{10}$/);
        expect(session.nonceStr.length).toBeLessThanOrEqual(32);
        expect(session.package).toMatch(/^prepay_id=wx\w+$/);
        // paySign is what the WeChat client checks: SHA256withRSA with the merchant key over four lines.
        const message = `${session.appId}\n${session.timeStamp}\n${session.nonceStr}\n${session.package}\n`;
        expect(createVerify('RSA-SHA256').update(message).verify(stack.sandbox.credentials.merchant.publicKeyPem, session.paySign, 'base64')).toBe(true);

        const stored = await findOrder(stack, order.order_id);
        expect(`prepay_id=${stored.wechatPrepayId}`).toBe(session.package);
        expect(stored.outTradeNo).toMatch(/^[0-9a-f]{32}$/);
        expect(stored.tradeState).toBe('NOTPAY');
        expect(stored.paymentRequestedAt).toBeInstanceOf(Date);
        expect((await historyOf(stack, order.order_id)).map((h) => h.event)).toEqual(['order_created', 'transaction_prepared', 'session_created']);
      });

      it('sends WeChat the amount in fen, the seat lock as time_expire (+08:00) and the session openid', async () => {
        const order = await createPendingOrder(stack, traveler, { amount: 12345, description: '上海—杭州 G7311' });
        await requestSession(stack, traveler, order.order_id);
        const { outTradeNo } = await findOrder(stack, order.order_id);
        const [body] = (await sandboxTransaction(outTradeNo as string)).prepayBodies;
        const sent = JSON.parse(body as string);
        expect(sent).toMatchObject({ amount: { total: 12345, currency: 'CNY' }, description: '上海—杭州 G7311', payer: { openid: traveler.openid } });
        expect(new Date(sent.time_expire).toISOString()).toBe(new Date(order.lock_expire_at).toISOString().replace(/\.\d{3}Z$/, '.000Z'));
        expect(sent.time_expire).toMatch(/\+08:00$/);
      });
    });

    describe('when the session is requested again within 10 minutes', () => {
      it('answers the same parameters byte for byte without calling WeChat', async () => {
        const order = await createPendingOrder(stack, traveler);
        const first = await requestSession(stack, traveler, order.order_id);
        const callsBefore = (await sandboxCalls(stack, JSAPI)).length;
        const duplicatesBefore = await metricValue(stack, 'payments_session_duplicate_total');
        stack.clock.advance(9 * 60_000);
        const second = await requestSession(stack, traveler, order.order_id);
        expect(second.text).toBe(first.text);
        expect((await sandboxCalls(stack, JSAPI)).length).toBe(callsBefore);
        expect(await metricValue(stack, 'payments_session_duplicate_total')).toBe(duplicatesBefore + 1);
      });
    });

    describe('when the session is requested again after 10 minutes', () => {
      it('re-sends the same out_trade_no with a byte-identical body and issues new parameters', async () => {
        const order = await createPendingOrder(stack, traveler);
        const first = await requestSession(stack, traveler, order.order_id);
        stack.clock.advance(10 * 60_000 + 1000);
        const second = await requestSession(stack, traveler, order.order_id);
        expect(second.status).toBe(200);
        expect(second.body.nonceStr).not.toBe(first.body.nonceStr);
        const { outTradeNo } = await findOrder(stack, order.order_id);
        const bodies = (await sandboxTransaction(outTradeNo as string)).prepayBodies;
        expect(bodies).toHaveLength(2);
        expect(bodies[1]).toBe(bodies[0]);
        expect((await historyOf(stack, order.order_id)).map((h) => h.event)).toContain('session_renewed');
      });
    });

    describe("when the body carries an openid that is not the traveler's", () => {
      it("answers 403 OPENID_MISMATCH and sends nothing to WeChat; the traveler's own openid is accepted", async () => {
        const order = await createPendingOrder(stack, traveler);
        const callsBefore = (await sandboxCalls(stack, JSAPI)).length;
        const refused = await requestSession(stack, traveler, order.order_id, stack.api.url, { openid: 'oSomeoneElse0000000000000000' });
        expect(refused.status).toBe(403);
        expect(refused.body.code).toBe('OPENID_MISMATCH');
        expect((await sandboxCalls(stack, JSAPI)).length).toBe(callsBefore);
        const accepted = await requestSession(stack, traveler, order.order_id, stack.api.url, { openid: traveler.openid });
        expect(accepted.status).toBe(200);
      });
    });
  });

  describe('given a paid order', () => {
    it('answers 409 ORDER_ALREADY_PAID', async () => {
      const order = await createPendingOrder(stack, traveler);
      const session = await requestSession(stack, traveler, order.order_id);
      expect((await payInSandbox(stack, session.body)).status).toBe(200);
      expect(await waitForStatus(stack, traveler, order.order_id, 'paid')).toBe('paid');
      const answer = await requestSession(stack, traveler, order.order_id);
      expect(answer.status).toBe(409);
      expect(answer.body).toMatchObject({ code: 'ORDER_ALREADY_PAID', status: 409 });
    });
  });

  describe("given an unknown order, another traveler's order or something that is not an order id", () => {
    it('answers the very same 404 ORDER_NOT_FOUND and does not call WeChat', async () => {
      const bob = await loginAs(stack, 'bob');
      const bobsOrder = await createPendingOrder(stack, bob);
      const callsBefore = (await sandboxCalls(stack, JSAPI)).length;
      const unknown = await requestSession(stack, traveler, '00000000-0000-4000-8000-000000000000');
      const foreign = await requestSession(stack, traveler, bobsOrder.order_id);
      const notAnId = await requestSession(stack, traveler, 'not-an-order-id');
      for (const answer of [unknown, foreign, notAnId]) {
        expect(answer.status).toBe(404);
        expect({ ...answer.body, request_id: undefined }).toEqual({ ...unknown.body, request_id: undefined });
      }
      expect((await sandboxCalls(stack, JSAPI)).length).toBe(callsBefore);
      expect((await findOrder(stack, bobsOrder.order_id)).outTradeNo).toBeNull();
    });
  });

  describe('given a cancelled order', () => {
    it('answers 409 ORDER_CANCELLED', async () => {
      const cancelled = await createPendingOrder(stack, traveler);
      await setOrderFields(stack, cancelled.order_id, { status: 'cancelled' });
      expect((await requestSession(stack, traveler, cancelled.order_id)).body.code).toBe('ORDER_CANCELLED');
    });
  });

  describe('given a failed order', () => {
    it('answers 409 ORDER_FAILED', async () => {
      const failed = await createPendingOrder(stack, traveler);
      await setOrderFields(stack, failed.order_id, { status: 'failed' });
      expect((await requestSession(stack, traveler, failed.order_id)).body.code).toBe('ORDER_FAILED');
    });
  });

  describe('given a seat lock ending in less than 2 minutes', () => {
    it('answers 409 ORDER_EXPIRED; with just over 2 minutes left, a session is created', async () => {
      const order = await createPendingOrder(stack, traveler);
      await setOrderFields(stack, order.order_id, { lockExpireAt: new Date(stack.clock.now().getTime() + 119_000) });
      const tooLate = await requestSession(stack, traveler, order.order_id);
      expect(tooLate.status).toBe(409);
      expect(tooLate.body.code).toBe('ORDER_EXPIRED');
      await setOrderFields(stack, order.order_id, { lockExpireAt: new Date(stack.clock.now().getTime() + 130_000) });
      expect((await requestSession(stack, traveler, order.order_id)).status).toBe(200);
    });
  });

  describe('given no token', () => {
    it('answers 401', async () => {
      expect((await call(stack.api.url, 'POST', '/payments/session', { body: { order_id: 'x' } })).status).toBe(401);
    });
  });

  describe('given a body without order_id', () => {
    it('answers 400 VALIDATION_FAILED', async () => {
      const invalid = await call(stack.api.url, 'POST', '/payments/session', { token: traveler.token, body: {} });
      expect(invalid.status).toBe(400);
      expect(invalid.body.code).toBe('VALIDATION_FAILED');
    });
  });

  it('exposes the payment metrics in Prometheus form', async () => {
    const text = (await call(stack.api.metricsUrl, 'GET', '/metrics')).text;
    expect(text).toMatch(/^payments_session_created_total \d+/m);
    expect(text).toMatch(/^payments_session_duplicate_total \d+/m);
    expect(text).toContain('payments_session_wechat_error_total');
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});
