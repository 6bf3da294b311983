import { createFreshDatabase, type FreshDatabase } from '../helpers/fresh-database';
import { historyOf, setOrderFields } from '../helpers/orders-in-database';
import { createPaidOrder, eventually, readRefunds, requestRefund } from '../helpers/refunds';
import { startTestStack, type TestStack } from '../helpers/test-stack';
import { injectFault } from '../helpers/travelers';
import { call } from '../helpers/http-client';

/** The refund jobs sweep whole tables: each stack here has a database of its own. */
let database: FreshDatabase;
let stack: TestStack | undefined;

async function stackWith(env: Record<string, string>, options: { refundProcessingMs?: number; refundNotifyUrl?: string } = {}): Promise<TestStack> {
  database = await createFreshDatabase('refund_jobs');
  stack = await startTestStack({ databaseUrl: database.url, env: { JOBS: 'on', JOBS_POLL_MS: '500', ...env }, ...options });
  return stack;
}

afterEach(async () => {
  await stack?.stop();
  stack = undefined;
  await database?.drop();
});

async function flagPaidAfterCancel(target: TestStack): Promise<string> {
  const paid = await createPaidOrder(target);
  await setOrderFields(target, paid.orderId, { status: 'cancelled', paidAfterCancel: true });
  return paid.orderId;
}

describe('the automatic refund of paid_after_cancel orders', () => {
  describe('given AUTO_REFUND_PAID_AFTER_CANCEL=true', () => {
    it('refunds a flagged order in full, once, through the operator path (requested_by auto)', async () => {
      const target = await stackWith({ AUTO_REFUND_PAID_AFTER_CANCEL: 'true', REFUND_JOBS_INTERVAL_SECONDS: '1' });
      const orderId = await flagPaidAfterCancel(target);
      const refunds = await eventually(
        () => readRefunds(target, orderId),
        (rows) => rows[0]?.status === 'SUCCESS',
        15_000,
      );
      expect(refunds).toMatchObject([{ amount: 8800, requestedBy: 'auto', status: 'SUCCESS' }]);
      await new Promise((resolve) => setTimeout(resolve, 2500)); // two more sweeps
      expect(await readRefunds(target, orderId)).toHaveLength(1);
      expect((await historyOf(target, orderId)).filter((row) => row.event === 'refund_requested').map((row) => row.source)).toEqual(['job']);
    });

    it('leaves an order an operator already refunded', async () => {
      const target = await stackWith({ AUTO_REFUND_PAID_AFTER_CANCEL: 'true' });
      const orderId = await flagPaidAfterCancel(target);
      await requestRefund(target, orderId, { amount: 100 });
      expect(await target.api.services.refunds.findOrdersAwaitingAutoRefund(10)).toEqual([]);
    });

    it('throws on a WeChat failure so the job is retried, and the retry re-sends the same refund', async () => {
      const target = await stackWith({ AUTO_REFUND_PAID_AFTER_CANCEL: 'true' });
      const orderId = await flagPaidAfterCancel(target);
      await injectFault(target, { path: '/v3/refund/domestic/refunds', count: 3, status: 500 });
      await expect(target.api.services.refunds.refundPaidAfterCancel(orderId)).rejects.toMatchObject({ code: 'WECHAT_UNAVAILABLE' });
      const outcome = await target.api.services.refunds.refundPaidAfterCancel(orderId);
      expect(outcome).toMatchObject({ refunded: { replayed: false } });
      expect(await readRefunds(target, orderId)).toHaveLength(1);
    });
  });

  describe('given the default (AUTO_REFUND_PAID_AFTER_CANCEL unset)', () => {
    it('never refunds by itself', async () => {
      const target = await stackWith({ REFUND_JOBS_INTERVAL_SECONDS: '1' });
      const orderId = await flagPaidAfterCancel(target);
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(await readRefunds(target, orderId)).toEqual([]);
    });
  });
});

describe('the refund reconciler job', () => {
  describe('given a refund whose notification never arrives, and REFUND_JOBS_INTERVAL_SECONDS=1', () => {
    it('queries it once it is a minute old and applies SUCCESS', async () => {
      const target = await stackWith(
        { REFUND_JOBS_INTERVAL_SECONDS: '1' },
        { refundProcessingMs: 0, refundNotifyUrl: 'http://127.0.0.1:9/refunds/wechat/notify' },
      );
      const paid = await createPaidOrder(target);
      const answer = await requestRefund(target, paid.orderId, { amount: 100 });
      await eventually(
        () => call<{ refund: { status: string } }>(target.sandbox.url, 'GET', `/sandbox/refunds/${answer.body.out_refund_no}`),
        (found) => found.body.refund.status === 'SUCCESS',
      );
      target.clock.advance(90_000);
      const refunds = await eventually(
        () => readRefunds(target, paid.orderId),
        (rows) => rows[0]?.status === 'SUCCESS',
        15_000,
      );
      expect(refunds[0]?.status).toBe('SUCCESS');
      expect((await historyOf(target, paid.orderId)).map((row) => `${row.event}:${row.source}`)).toContain('refund_success:reconciler');
    });
  });
});
