import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { expiryJob, reconcileNudgeJob } from '../../src/payments/payment-jobs';
import { retentionJob } from '../../src/retention/register-retention';
import { formatBeijingTime } from '../../src/wechatpay-sdk';
import { eventually } from './helpers/eventually';
import { createFreshDatabase, type FreshDatabase } from './helpers/fresh-database';
import { call } from './helpers/http-client';
import { buildNotification, createOrderAwaitingPayment, deliverNotification, paidTransaction } from './helpers/notifications';
import { signNotification } from './helpers/notification-signing';
import { eventsNamed, readPaymentRecords, statusChanges, type PaymentRecords, type StoredTransaction } from './helpers/payment-records';
import { startTestStack, type TestStack } from './helpers/test-stack';
import { requestSession, sandboxCalls, type PaymentSession } from './helpers/travelers';

/** The default schedule (5 s ×6, 1, 2, 5, 10 min) at 1/25 of its pace: configuration only, the same code path. */
const SHORT_SCHEDULE = '200ms*6,2400ms,4800ms,12s,24s';

interface SandboxNotification {
  id: string;
  outTradeNo: string;
  state: string;
}

describe('never losing a payment: reconciliation, expiry and retention on the job queue', () => {
  let database: FreshDatabase;
  let stack: TestStack;
  beforeAll(async () => {
    database = await createFreshDatabase('lifecycle');
    stack = await startTestStack({
      instances: 2,
      env: { DATABASE_URL: database.url, JOBS: 'on', RECONCILE_SCHEDULE: SHORT_SCHEDULE, EXPIRY_SWEEP_SECONDS: '1', RECONCILE_NUDGE_SECONDS: '1' },
    });
  }, 60_000);
  afterAll(async () => {
    await stack.stop();
    await database.drop();
  });

  async function orderWithSession() {
    const { traveler, stored } = await createOrderAwaitingPayment(stack);
    const session = await requestSession(stack, traveler, stored.orderId);
    return { traveler, stored, session: session.body as PaymentSession };
  }

  function pay(session: PaymentSession, extra: Record<string, unknown> = {}) {
    return call(stack.sandbox.url, 'POST', '/sandbox/request-payment', { body: { ...session, ...extra } });
  }

  async function droppedNotificationOf(outTradeNo: string): Promise<SandboxNotification | undefined> {
    const answer = await call<{ notifications: SandboxNotification[] }>(stack.sandbox.url, 'GET', '/sandbox/notifications');
    return answer.body.notifications.find((notification) => notification.outTradeNo === outTradeNo);
  }

  const settled = (stored: StoredTransaction, done: (records: PaymentRecords) => boolean) =>
    eventually(() => readPaymentRecords(stack, stored), done, 20_000, 100);

  const closeCalls = async (stored: StoredTransaction) => sandboxCalls(stack, `/v3/pay/transactions/out-trade-no/${stored.outTradeNo}/close`);
  const queryCalls = async (stored: StoredTransaction) => sandboxCalls(stack, `/v3/pay/transactions/out-trade-no/${stored.outTradeNo}`);

  /** Moves both clocks (API and sandbox) to `offsetMs` around the order's seat lock end. */
  function moveClockToLock(stored: StoredTransaction, offsetMs: number): void {
    stack.clock.advance(stored.lockExpireAt.getTime() + offsetMs - stack.clock.now().getTime());
  }

  describe('given a payment whose notification WeChat never delivers', () => {
    it('reads paid from the reconciler; each scheduled step ran once across both instances and queried at most once', async () => {
      const { stored, session } = await orderWithSession();
      expect((await pay(session, { notify: 'drop' })).status).toBe(200);

      const records = await settled(stored, (r) => r.order.status === 'paid');
      expect(records.order).toMatchObject({ status: 'paid', tradeState: 'SUCCESS' });
      expect(statusChanges(records)).toEqual([expect.objectContaining({ event: 'payment_succeeded', source: 'reconciler', toStatus: 'paid' })]);
      expect((await droppedNotificationOf(stored.outTradeNo))?.state).toBe('dropped');
      const jobs = (): Promise<{ state: string; retry_count: number }[]> =>
        database.query(`select state, retry_count from pgboss.job where name = 'payment-reconcile' and singleton_key = '${stored.orderId}'`);
      // every scheduled step queried WeChat exactly once, on one of the two instances; none after the order was paid
      const steps = await eventually(jobs, (rows) => rows.length > 0 && rows.every((row) => row.state === 'completed'));
      expect(steps.every((row) => row.retry_count === 0)).toBe(true);
      // each step queried at most once; the step due after the payment found the order paid in the database
      const queries = (await queryCalls(stored)).length;
      expect(queries).toBeGreaterThanOrEqual(steps.length - 1);
      expect(queries).toBeLessThanOrEqual(steps.length);
    });
  });

  describe('given a payment the bank refuses (PAYERROR)', () => {
    it('marks the order failed from the reconciler', async () => {
      const { stored, session } = await orderWithSession();
      expect((await pay(session, { result: 'payerror' })).status).toBe(400);
      const records = await settled(stored, (r) => r.order.status === 'failed');
      expect(statusChanges(records)).toEqual([
        expect.objectContaining({ event: 'payment_failed', source: 'reconciler', detail: expect.objectContaining({ trade_state: 'PAYERROR' }) }),
      ]);
    });
  });

  describe('given a seat lock that ends without payment', () => {
    it('reads pending until WeChat confirms one close, then cancelled', async () => {
      const { traveler, stored } = await orderWithSession();
      moveClockToLock(stored, 1000);

      const records = await settled(stored, (r) => r.order.status === 'cancelled');
      expect(records.order).toMatchObject({ status: 'cancelled', tradeState: 'CLOSED', paidAfterCancel: false });
      expect(statusChanges(records)).toEqual([expect.objectContaining({ event: 'transaction_closed', source: 'expiry', toStatus: 'cancelled' })]);
      expect((await closeCalls(stored)).map((c) => c.status)).toEqual([204]);
      expect((await requestSession(stack, traveler, stored.orderId)).body.code).toBe('ORDER_CANCELLED');
    });
  });

  describe('given a payment at lock − 2 s whose notification arrives after the lock', () => {
    it('reads paid and is never flagged for a refund', async () => {
      const { stored, session } = await orderWithSession();
      moveClockToLock(stored, -2000);
      expect((await pay(session, { notify: 'drop' })).status).toBe(200);
      moveClockToLock(stored, 20_000);
      const late = await droppedNotificationOf(stored.outTradeNo);
      await call(stack.sandbox.url, 'POST', '/sandbox/notifications/resend', { body: { id: late?.id } });

      const records = await settled(stored, (r) => r.order.status === 'paid');
      expect(records.order).toMatchObject({ status: 'paid', paidAfterCancel: false });
      expect(eventsNamed(records, 'paid_after_cancel')).toEqual([]);
      expect(await closeCalls(stored)).toEqual([]);
    });
  });

  describe('given money that truly lands after the close', () => {
    it('keeps the order cancelled and flags it paid_after_cancel', async () => {
      const { stored } = await orderWithSession();
      moveClockToLock(stored, 1000);
      await settled(stored, (r) => r.order.status === 'cancelled');

      const notification = buildNotification(stack, paidTransaction(stack, stored, { success_time: formatBeijingTime(stack.clock.now()) }));
      expect((await deliverNotification(stack, notification.body, signNotification(stack, notification.body))).status).toBe(204);
      const records = await readPaymentRecords(stack, stored);
      expect(records.order).toMatchObject({ status: 'cancelled', paidAfterCancel: true });
      expect(eventsNamed(records, 'paid_after_cancel')).toHaveLength(1);
    });
  });

  describe('given the notification, the reconciler and the expiry job racing on one paid order', () => {
    it('makes exactly one transition with one history row, whatever the interleaving', async () => {
      const actions = ['notification', 'reconciler', 'expiry'] as const;
      await fc.assert(
        fc.asyncProperty(
          fc.shuffledSubarray([...actions], { minLength: 3, maxLength: 3 }),
          fc.array(fc.nat({ max: 150 }), { minLength: 3, maxLength: 3 }),
          async (order, delays) => {
            const { stored, session } = await orderWithSession();
            expect((await pay(session, { notify: 'drop' })).status).toBe(200);
            moveClockToLock(stored, 1000);
            const notification = await droppedNotificationOf(stored.outTradeNo);
            const run = {
              notification: () => call(stack.sandbox.url, 'POST', '/sandbox/notifications/resend', { body: { id: notification?.id } }),
              reconciler: () => stack.apis[1]!.jobs.send(reconcileNudgeJob, { orderId: stored.orderId }),
              expiry: () => stack.api.jobs.send(expiryJob, { orderId: stored.orderId }, { singletonKey: stored.orderId }),
            };
            await Promise.all(order.map((action, i) => new Promise((resolve) => setTimeout(resolve, delays[i])).then(async () => void (await run[action]()))));

            const records = await settled(stored, (r) => r.order.status !== 'pending');
            await new Promise((resolve) => setTimeout(resolve, 1500)); // whatever was still queued has run by now
            const after = await readPaymentRecords(stack, stored);
            expect(after.order).toMatchObject({ status: 'paid', paidAfterCancel: false });
            expect(statusChanges(after)).toHaveLength(1);
            expect(eventsNamed(after, 'payment_succeeded')).toHaveLength(1);
            const confirmations = after.history.filter((row) => row.createdAt >= statusChanges(records)[0]!.createdAt && row.fromStatus === 'paid');
            // only a notification's own redelivery leaves a row; queries that repeat the stored state leave none
            expect(confirmations.every((row) => row.source === 'webhook' && row.event === 'payment_confirmed_again')).toBe(true);
            expect(await closeCalls(stored)).toEqual([]);
          },
        ),
        { numRuns: 6 },
      );
    }, 120_000);
  });

  describe('given rows just inside and just past their retention windows', () => {
    it('deletes exactly the rows past the window, and counts them', async () => {
      const { stored } = await orderWithSession();
      const now = stack.clock.now().getTime();
      const daysAgo = (days: number) => new Date(now - days * 86_400_000).toISOString();
      const marker = randomUUID();
      const conn = stack.database.em.getConnection();
      for (const [age, label] of [
        [181, 'old'],
        [179, 'kept'],
      ] as const) {
        await conn.execute(
          `insert into payment_status_history (order_id, event, from_status, to_status, source, detail, created_at) values (?, 'retention_probe', 'pending', 'pending', 'api', ?, ?)`,
          [stored.orderId, JSON.stringify({ marker, label }), daysAgo(age)],
        );
        await conn.execute(`insert into payment_notifications (id, event_type, outcome, received_at) values (?, 'TRANSACTION.SUCCESS', 'applied', ?)`, [
          `${marker}-${label}`,
          daysAgo(age),
        ]);
      }
      const userId = (await conn.execute<{ user_id: string }[]>('select user_id from orders where id = ?', [stored.orderId]))[0]!.user_id;
      for (const [hours, label] of [
        [25, 'old'],
        [23, 'kept'],
      ] as const) {
        await conn.execute(
          `insert into idempotency_keys (user_id, key, request_hash, response_status, response_body, created_at) values (?, ?, 'h', 201, '{}', ?)`,
          [userId, `${marker}-${label}`, new Date(now - hours * 3_600_000).toISOString()],
        );
      }
      const removedBefore = await Promise.all(stack.apis.map((api) => api.metrics.retentionRemoved.get()));
      await stack.api.jobs.send(retentionJob, {});

      const remaining = async () => ({
        history: (
          await conn.execute<{ label: string }[]>(`select detail->>'label' as label from payment_status_history where detail->>'marker' = ?`, [marker])
        ).map((r) => r.label),
        notifications: (await conn.execute<{ id: string }[]>(`select id from payment_notifications where id like ?`, [`${marker}%`])).map((r) => r.id),
        keys: (await conn.execute<{ key: string }[]>(`select key from idempotency_keys where key like ?`, [`${marker}%`])).map((r) => r.key),
      });
      const left = await eventually(remaining, (rows) => rows.history.length === 1 && rows.notifications.length === 1 && rows.keys.length === 1);
      expect(left).toEqual({ history: ['kept'], notifications: [`${marker}-kept`], keys: [`${marker}-kept`] });
      const removedAfter = await Promise.all(stack.apis.map((api) => api.metrics.retentionRemoved.get()));
      const total = (snapshots: typeof removedAfter) => snapshots.flatMap((s) => s.values).reduce((sum, v) => sum + v.value, 0);
      expect(total(removedAfter) - total(removedBefore)).toBe(3);
    });
  });

  describe('given an open transaction', () => {
    it('reports the age of the oldest one in the metrics', async () => {
      await orderWithSession();
      const metrics = await stack.api.metrics.registry.getSingleMetricAsString('payments_oldest_open_transaction_age_seconds');
      expect(metrics).toMatch(/payments_oldest_open_transaction_age_seconds \d/);
    });
  });
});
