import { eventually } from './helpers/eventually';
import { createFreshDatabase, type FreshDatabase } from './helpers/fresh-database';
import { call } from './helpers/http-client';
import { metricValue } from './helpers/metrics';
import { createOrderAwaitingPayment } from './helpers/notifications';
import { readPaymentRecords, statusChanges, type PaymentRecords, type StoredTransaction } from './helpers/payment-records';
import { startTestStack, type TestStack } from './helpers/test-stack';
import { injectFault, pollStatus, requestSession, sandboxCalls, type PaymentSession } from './helpers/travelers';

/** The default schedule at 1/25 of its pace, as in the lifecycle tests: configuration only. */
const SHORT_SCHEDULE = '200ms*6,2400ms,4800ms,12s,24s';

/** WeChat Pay failing the reconciler's queries and the expiry's close: nothing is decided on a missing answer. */
describe('the jobs when WeChat Pay fails their calls', () => {
  let database: FreshDatabase;
  let stack: TestStack;
  beforeAll(async () => {
    database = await createFreshDatabase('lifecycle_faults');
    stack = await startTestStack({
      env: { DATABASE_URL: database.url, JOBS: 'on', RECONCILE_SCHEDULE: SHORT_SCHEDULE, EXPIRY_SWEEP_SECONDS: '1', RECONCILE_NUDGE_SECONDS: '1' },
    });
  }, 60_000);
  afterAll(async () => {
    await stack.stop();
    await database.drop();
  });
  afterEach(() => call(stack.sandbox.url, 'DELETE', '/sandbox/faults'));

  async function orderWithSession() {
    const { traveler, stored } = await createOrderAwaitingPayment(stack);
    const session = await requestSession(stack, traveler, stored.orderId);
    return { traveler, stored, session: session.body as PaymentSession };
  }

  const settled = (stored: StoredTransaction, done: (records: PaymentRecords) => boolean, timeoutMs = 20_000) =>
    eventually(() => readPaymentRecords(stack, stored), done, timeoutMs, 100);
  const statusesOf = async (path: string) => (await sandboxCalls(stack, path)).map((c) => c.status);
  const transactionPath = (stored: StoredTransaction) => `/v3/pay/transactions/out-trade-no/${stored.outTradeNo}`;

  describe('given a paid order whose notification is dropped and whose next queries WeChat answers with 500', () => {
    it('counts each failed step, asks again on the schedule, and reads paid once WeChat answers', async () => {
      const { stored, session } = await orderWithSession();
      const errorsBefore = await metricValue(stack, 'payments_reconciliation_total', { trade_state: 'ERROR' });
      // two scheduled steps fail: each is one try and the SDK's two retries of a 500
      await injectFault(stack, { path: transactionPath(stored), method: 'GET', status: 500, count: 6 });
      expect((await call(stack.sandbox.url, 'POST', '/sandbox/request-payment', { body: { ...session, notify: 'drop' } })).status).toBe(200);

      const records = await settled(stored, (r) => r.order.status === 'paid');
      expect(statusChanges(records)).toEqual([expect.objectContaining({ event: 'payment_succeeded', source: 'reconciler', toStatus: 'paid' })]);
      const statuses = await statusesOf(transactionPath(stored));
      expect(statuses.filter((status) => status === 500)).toHaveLength(6);
      expect(statuses.at(-1)).toBe(200);
      expect((await metricValue(stack, 'payments_reconciliation_total', { trade_state: 'ERROR' })) - errorsBefore).toBe(2);
    });
  });

  describe('given a seat lock that ends while WeChat answers the close with 500', () => {
    it('keeps the order pending (never cancelled on an unconfirmed close), and cancels after the retried close succeeds', async () => {
      const { traveler, stored } = await orderWithSession();
      const closePath = `${transactionPath(stored)}/close`;
      await injectFault(stack, { path: closePath, status: 500, count: 10_000 });
      stack.clock.advance(stored.lockExpireAt.getTime() + 1000 - stack.clock.now().getTime());

      const failedCloses = await eventually(
        () => statusesOf(closePath),
        (statuses) => statuses.length >= 3,
        20_000,
        100,
      );
      expect(failedCloses.every((status) => status === 500)).toBe(true);
      const whileFailing = await readPaymentRecords(stack, stored);
      expect(whileFailing.order.status).toBe('pending');
      expect(statusChanges(whileFailing)).toEqual([]);
      const polled = await pollStatus(stack, traveler, stored.orderId);
      expect(polled.body).toMatchObject({ status: 'pending' });
      expect(new Date(polled.body.lock_expire_at as string).getTime()).toBeLessThan(stack.clock.now().getTime());
      expect(await metricValue(stack, 'jobs_failed_total', { job: 'order-expiry' })).toBeGreaterThanOrEqual(1);

      await call(stack.sandbox.url, 'DELETE', '/sandbox/faults');
      const records = await settled(stored, (r) => r.order.status === 'cancelled', 45_000);
      expect(records.order).toMatchObject({ status: 'cancelled', tradeState: 'CLOSED' });
      expect(statusChanges(records)).toEqual([expect.objectContaining({ event: 'transaction_closed', source: 'expiry', toStatus: 'cancelled' })]);
      expect((await statusesOf(closePath)).filter((status) => status === 204)).toHaveLength(1);
    }, 90_000);
  });
});
