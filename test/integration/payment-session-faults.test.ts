import { Client } from 'pg';
import type { JsapiService } from '../../src/wechatpay-sdk/services/jsapi/jsapi-types';
import { call } from './helpers/http-client';
import { metricValue } from './helpers/metrics';
import { findOrder, historyOf, setOrderFields } from './helpers/orders-in-database';
import { startTestStack, type TestStack } from './helpers/test-stack';
import {
  createPendingOrder,
  injectFault,
  loginAs,
  payInSandbox,
  requestSession,
  sandboxCalls,
  waitForStatus,
  type LoggedInTraveler,
} from './helpers/travelers';

const JSAPI = '/v3/pay/transactions/jsapi';

describe('given WeChat Pay fails, when a session is created', () => {
  let stack: TestStack;
  let traveler: LoggedInTraveler;
  beforeAll(async () => {
    stack = await startTestStack({ timeoutMs: 1000 });
    traveler = await loginAs(stack);
  });
  afterAll(() => stack.stop());
  afterEach(() => call(stack.sandbox.url, 'DELETE', '/sandbox/faults'));

  /** Nothing half-written: still pending, no prepay_id, no stored parameters, no session history. */
  async function expectNothingHalfWritten(orderId: string): Promise<string> {
    const order = await findOrder(stack, orderId);
    expect(order.status).toBe('pending');
    expect(order.wechatPrepayId).toBeNull();
    expect(order.paymentParams).toBeNull();
    expect((await historyOf(stack, orderId)).map((h) => h.event)).not.toContain('session_created');
    return order.outTradeNo as string;
  }

  /** The next request succeeds with the out_trade_no chosen before the failure, and the identical body. */
  async function expectCleanRetry(orderId: string, outTradeNo: string): Promise<void> {
    const retry = await requestSession(stack, traveler, orderId);
    expect(retry.status).toBe(200);
    expect((await findOrder(stack, orderId)).outTradeNo).toBe(outTradeNo);
    const { body } = await call<{ prepayBodies: string[] }>(stack.sandbox.url, 'GET', `/sandbox/transactions/${outTradeNo}`);
    expect(new Set(body.prepayBodies).size).toBe(1);
  }

  describe.each([
    ['5xx after bounded retries', { status: 500, code: 'SYSTEM_ERROR', count: 3 }, 502, 'WECHAT_UNAVAILABLE', 'SYSTEM_ERROR'],
    ['429 after bounded retries', { status: 429, code: 'FREQUENCY_LIMITED', count: 3 }, 502, 'WECHAT_UNAVAILABLE', 'FREQUENCY_LIMITED'],
    ['an error code (not retried)', { status: 400, code: 'PARAM_ERROR', count: 1 }, 502, 'WECHAT_UNAVAILABLE', 'PARAM_ERROR'],
    ['a SIGN_ERROR (not retried)', { status: 401, code: 'SIGN_ERROR', count: 1 }, 502, 'WECHAT_UNAVAILABLE', 'SIGN_ERROR'],
    ['a dropped connection', { drop: true, count: 3 }, 502, 'WECHAT_UNAVAILABLE', 'NETWORK'],
    ['a bad response signature', { badSignature: true, count: 1 }, 502, 'WECHAT_UNAVAILABLE', 'SIGNATURE_BAD_SIGNATURE'],
    ['a WECHATPAY/SIGNTEST/ probe signature', { probeSignature: true, count: 1 }, 502, 'WECHAT_UNAVAILABLE', 'SIGNATURE_PROBE'],
    ['a stale response timestamp', { staleTimestamp: true, count: 1 }, 502, 'WECHAT_UNAVAILABLE', 'SIGNATURE_STALE_TIMESTAMP'],
    ['an unknown response serial', { unknownSerial: true, count: 1 }, 502, 'WECHAT_UNAVAILABLE', 'SIGNATURE_UNKNOWN_SERIAL'],
    ['a timeout', { delayMs: 2500, count: 1 }, 504, 'WECHAT_TIMEOUT', 'TIMEOUT'],
  ])('with %s (fault %j)', (_name, fault, status, code, metricCode) => {
    it(`answers ${status} ${code}, leaves nothing half-written, and a retry succeeds cleanly`, async () => {
      const order = await createPendingOrder(stack, traveler);
      await injectFault(stack, { path: JSAPI, ...fault });
      const errorsBefore = await metricValue(stack, 'payments_session_wechat_error_total', { code: metricCode });
      const answer = await requestSession(stack, traveler, order.order_id);
      expect(answer.status).toBe(status);
      expect(answer.body).toMatchObject({ code, status, request_id: answer.headers.get('x-request-id') });
      expect(answer.body.detail).not.toMatch(/SYSTEM_ERROR|PARAM_ERROR|signature|Request-ID/i);
      expect(await metricValue(stack, 'payments_session_wechat_error_total', { code: metricCode })).toBe(errorsBefore + 1);
      const outTradeNo = await expectNothingHalfWritten(order.order_id);
      await call(stack.sandbox.url, 'DELETE', '/sandbox/faults');
      await expectCleanRetry(order.order_id, outTradeNo);
    });
  });

  describe('with ORDERPAID that the query confirms', () => {
    it('records the payment and answers 409 ORDER_ALREADY_PAID', async () => {
      const order = await createPendingOrder(stack, traveler);
      const session = await requestSession(stack, traveler, order.order_id);
      await payInSandbox(stack, session.body);
      await waitForStatus(stack, traveler, order.order_id, 'paid');
      // As if the notification had been lost: our records still say pending and the parameters are stale.
      await setOrderFields(stack, order.order_id, { status: 'pending', tradeState: 'NOTPAY', paymentRequestedAt: new Date(0) });
      const answer = await requestSession(stack, traveler, order.order_id);
      expect(answer.status).toBe(409);
      expect(answer.body.code).toBe('ORDER_ALREADY_PAID');
      expect((await findOrder(stack, order.order_id)).status).toBe('paid');
      expect(await historyOf(stack, order.order_id)).toContainEqual(
        expect.objectContaining({ event: 'payment_succeeded', source: 'reconciler', toStatus: 'paid' }),
      );
      expect(await metricValue(stack, 'payments_session_wechat_error_total', { code: 'ORDERPAID' })).toBeGreaterThan(0);
    });
  });

  describe('with ORDERPAID that the query does not confirm', () => {
    it('answers 502 and the order stays pending', async () => {
      const order = await createPendingOrder(stack, traveler);
      await requestSession(stack, traveler, order.order_id);
      await setOrderFields(stack, order.order_id, { paymentRequestedAt: new Date(0) });
      await injectFault(stack, { path: JSAPI, status: 403, code: 'ORDERPAID', count: 1 });
      const answer = await requestSession(stack, traveler, order.order_id);
      expect(answer.status).toBe(502);
      expect((await findOrder(stack, order.order_id)).status).toBe('pending');
    });
  });
});

describe('given another request holds the order longer than a WeChat call can take', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ timeoutMs: 500 });
  });
  afterAll(() => stack.stop());

  it('answers the waiter 409 PAYMENT_IN_PROGRESS with Retry-After, not a 500, and succeeds once the lock is released', async () => {
    const traveler = await loginAs(stack);
    const order = await createPendingOrder(stack, traveler);
    const holder = new Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select id from orders where id = $1 for update', [order.order_id]);
      const waiter = await requestSession(stack, traveler, order.order_id);
      expect(waiter.status).toBe(409);
      expect(waiter.body.code).toBe('PAYMENT_IN_PROGRESS');
      expect(waiter.headers.get('retry-after')).toBe('1');
      await holder.query('rollback');
      expect((await requestSession(stack, traveler, order.order_id)).status).toBe(200);
    } finally {
      await holder.end();
    }
  });
});

describe('given the database connection dies right after WeChat answers', () => {
  let stack: TestStack;
  let killNext = false;

  /** From a separate connection, terminate every backend of the app that sits in an open transaction. */
  async function terminateTransactions(): Promise<void> {
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and state like 'idle in transaction%'`);
    } finally {
      await admin.end();
    }
  }

  beforeAll(async () => {
    stack = await startTestStack({
      wrapJsapi: (client): JsapiService => ({
        ...client,
        async createJsapiPrepay(request) {
          const answer = await client.createJsapiPrepay(request);
          if (killNext) {
            killNext = false;
            await terminateTransactions();
          }
          return answer;
        },
      }),
    });
  });
  afterAll(() => stack.stop());

  it('fails the request, keeps the process alive, and the retry re-sends the same out_trade_no with the same body', async () => {
    const traveler = await loginAs(stack);
    const order = await createPendingOrder(stack, traveler);
    killNext = true;
    const failed = await requestSession(stack, traveler, order.order_id);
    expect(failed.status).toBe(500);
    expect(failed.body.code).toBe('INTERNAL');
    const retry = await requestSession(stack, traveler, order.order_id);
    expect(retry.status).toBe(200);
    const { outTradeNo } = await findOrder(stack, order.order_id);
    const { body } = await call<{ prepayBodies: string[] }>(stack.sandbox.url, 'GET', `/sandbox/transactions/${outTradeNo}`);
    expect(body.prepayBodies).toHaveLength(2);
    expect(body.prepayBodies[1]).toBe(body.prepayBodies[0]);
    // Two calls in all, both for this one out_trade_no: no orphan transaction at WeChat.
    expect(await sandboxCalls(stack, '/v3/pay/transactions/jsapi')).toHaveLength(2);
    expect((await call(stack.api.url, 'GET', '/readyz')).status).toBe(200);
  });
});
