import { randomBytes } from 'node:crypto';
import { Order } from '../../src/persistence/entities/order';
import { formatBeijingTime } from '../../src/wechatpay-sdk/core/beijing-time';
import { metricIncrease } from './helpers/metrics';
import { buildNotification, createOrderAwaitingPayment, deliverNotification, notify, paidTransaction, rewriteEnvelope } from './helpers/notifications';
import { eventsNamed, readPaymentRecords, statusChanges, type StoredTransaction } from './helpers/payment-records';
import { signNotification } from './helpers/notification-signing';
import { setOrderFields } from './helpers/orders-in-database';
import { startTestStack, type TestStack } from './helpers/test-stack';
import { pollStatus } from './helpers/travelers';

describe('POST /payments/wechat/notify: processing verified notifications', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  const pendingOrder = async () => (await createOrderAwaitingPayment(stack)).stored;
  // There is no cancel endpoint yet: a cancellation is what it leaves in the database.
  const cancelInDatabase = (stored: StoredTransaction) => stack.database.em.fork().nativeUpdate(Order, { id: stored.orderId }, { status: 'cancelled' });

  describe('given a pending order', () => {
    describe('when the same success is delivered 20 times in parallel', () => {
      it('answers 204 to all, makes one transition with one payment_succeeded row and one claimed id, and counts 19 duplicates', async () => {
        const stored = await pendingOrder();
        const { id, body } = buildNotification(stack, paidTransaction(stack, stored));

        let statuses: number[] = [];
        const duplicates = await metricIncrease(stack, 'payments_notification_duplicate_total', {}, async () => {
          const answers = await Promise.all(Array.from({ length: 20 }, () => deliverNotification(stack, body, signNotification(stack, body))));
          statuses = answers.map((answer) => answer.status);
        });

        expect(statuses).toEqual(Array(20).fill(204));
        expect(duplicates).toBe(19);
        const records = await readPaymentRecords(stack, stored);
        expect(records.order.status).toBe('paid');
        expect(statusChanges(records)).toEqual([
          expect.objectContaining({ event: 'payment_succeeded', fromStatus: 'pending', toStatus: 'paid', notificationId: id }),
        ]);
        expect(eventsNamed(records, 'payment_succeeded')).toHaveLength(1);
        expect(records.notifications).toEqual([{ id, event_type: 'TRANSACTION.SUCCESS', outcome: 'applied' }]);
      });
    });

    describe.each([
      ['amount', 'amount', (s: StoredTransaction) => ({ amount: { total: s.amount - 1, payer_total: s.amount - 1, currency: 'CNY', payer_currency: 'CNY' } })],
      ['currency', 'currency', (s: StoredTransaction) => ({ amount: { total: s.amount, payer_total: s.amount, currency: 'USD', payer_currency: 'USD' } })],
      ['appid', 'appid', () => ({ appid: `wx${randomBytes(8).toString('hex')}` })],
      ['mchid', 'mchid', () => ({ mchid: '1900000109' })],
      ['payer openid', 'payer', () => ({ payer: { openid: `o${randomBytes(14).toString('base64url')}` } })],
    ])('when a verified success disagrees with our records on %s', (_name, field, override) => {
      it('answers 204, leaves it unpaid, records a transaction_mismatch and counts it by field', async () => {
        const stored = await pendingOrder();

        let status = 0;
        const increase = await metricIncrease(stack, 'payments_notification_mismatch_total', { field }, async () => {
          status = (await notify(stack, paidTransaction(stack, stored, override(stored)))).answer.status;
        });

        expect(status).toBe(204);
        expect(increase).toBe(1);
        const records = await readPaymentRecords(stack, stored);
        expect(records.order).toMatchObject({ status: 'pending', tradeState: 'NOTPAY', wechatTransactionId: null });
        expect(eventsNamed(records, 'transaction_mismatch')).toEqual([
          expect.objectContaining({ source: 'webhook', fromStatus: 'pending', toStatus: 'pending', detail: expect.objectContaining({ mismatches: [field] }) }),
        ]);
        expect(records.notifications).toEqual([expect.objectContaining({ outcome: 'mismatch' })]);
      });
    });

    describe('when a success paid after its seat lock expired arrives', () => {
      it('cancels it and flags it paid_after_cancel', async () => {
        const stored = await pendingOrder();
        const lateSuccess = formatBeijingTime(new Date(stored.lockExpireAt.getTime() + 1000));

        const { answer } = await notify(stack, paidTransaction(stack, stored, { success_time: lateSuccess }));

        expect(answer.status).toBe(204);
        const records = await readPaymentRecords(stack, stored);
        expect(records.order).toMatchObject({ status: 'cancelled', paidAfterCancel: true });
        expect(statusChanges(records)).toEqual([
          expect.objectContaining({ event: 'seat_lock_expired', fromStatus: 'pending', toStatus: 'cancelled', source: 'webhook' }),
        ]);
        expect(eventsNamed(records, 'paid_after_cancel')).toHaveLength(1);
        expect(eventsNamed(records, 'payment_succeeded')).toEqual([]);
      });
    });

    describe.each(['NOTPAY', 'CLOSED', 'PAYERROR', 'USERPAYING'])('when a verified notification has trade_state %s', (tradeState) => {
      it('answers 204 and leaves the order unpaid', async () => {
        const stored = await pendingOrder();
        const transaction = paidTransaction(stack, stored, { trade_state: tradeState, transaction_id: undefined, success_time: undefined });

        const { answer } = await notify(stack, transaction);

        expect(answer.status).toBe(204);
        const records = await readPaymentRecords(stack, stored);
        expect(records.order).toMatchObject({ status: 'pending', tradeState: 'NOTPAY' });
        expect(statusChanges(records)).toEqual([]);
        expect(eventsNamed(records, 'notification_not_success')).toEqual([expect.objectContaining({ detail: { trade_state: tradeState } })]);
      });
    });

    describe('when a verified notification of another event type (REFUND.SUCCESS) arrives', () => {
      it('answers 204, leaves the order unpaid and records ignored_event', async () => {
        const stored = await pendingOrder();
        const { id, body } = rewriteEnvelope(buildNotification(stack, paidTransaction(stack, stored)), (envelope) =>
          Object.assign(envelope, { event_type: 'REFUND.SUCCESS' }),
        );

        const answer = await deliverNotification(stack, body, signNotification(stack, body));

        expect(answer.status).toBe(204);
        const records = await readPaymentRecords(stack, stored);
        expect(records.order.status).toBe('pending');
        expect(records.notifications).toEqual([{ id, event_type: 'REFUND.SUCCESS', outcome: 'ignored_event' }]);
      });
    });
  });

  describe('given a paid order', () => {
    describe('when WeChat Pay confirms it again under another id', () => {
      it('answers 204 and adds a history row only', async () => {
        const stored = await pendingOrder();
        const transaction = paidTransaction(stack, stored);
        await notify(stack, transaction);
        const { id, answer } = await notify(stack, transaction);

        expect(answer.status).toBe(204);
        const records = await readPaymentRecords(stack, stored);
        expect(records.order.status).toBe('paid');
        expect(eventsNamed(records, 'payment_succeeded')).toHaveLength(1);
        expect(eventsNamed(records, 'payment_confirmed_again')).toEqual([
          expect.objectContaining({ fromStatus: 'paid', toStatus: 'paid', notificationId: id }),
        ]);
      });
    });
  });

  describe('given an order cancelled in the database', () => {
    describe('when a success arrives', () => {
      it('answers 204, keeps it cancelled, flags and counts it paid_after_cancel; a redelivery under another id changes nothing more', async () => {
        const stored = await pendingOrder();
        await cancelInDatabase(stored);
        const transaction = paidTransaction(stack, stored);

        let first = 0;
        const flagged = await metricIncrease(stack, 'payments_paid_after_cancel_total', {}, async () => {
          first = (await notify(stack, transaction)).answer.status;
        });
        expect(first).toBe(204);
        expect(flagged).toBe(1);
        const afterFirst = await readPaymentRecords(stack, stored);
        expect(afterFirst.order).toMatchObject({
          status: 'cancelled',
          paidAfterCancel: true,
          tradeState: 'SUCCESS',
          wechatTransactionId: transaction.transaction_id,
        });
        expect(eventsNamed(afterFirst, 'paid_after_cancel')).toEqual([
          expect.objectContaining({ source: 'webhook', fromStatus: 'cancelled', toStatus: 'cancelled' }),
        ]);

        let second = 0;
        const flaggedAgain = await metricIncrease(stack, 'payments_paid_after_cancel_total', {}, async () => {
          second = (await notify(stack, transaction)).answer.status;
        });
        expect(second).toBe(204);
        expect(flaggedAgain).toBe(0);
        const afterSecond = await readPaymentRecords(stack, stored);
        expect(afterSecond.order).toMatchObject({ status: 'cancelled', paidAfterCancel: true });
        expect(eventsNamed(afterSecond, 'paid_after_cancel')).toHaveLength(1);
        expect(statusChanges(afterSecond)).toEqual([]);
        expect(afterSecond.notifications.map((row) => row.outcome)).toEqual(['paid_after_cancel', 'already_paid']);
      });
    });
  });

  describe('given the seat lock has ended and the transaction is not closed yet (the status reads pending)', () => {
    describe('when a payment made in time is notified late', () => {
      it('pays the order and never flags it for a refund', async () => {
        const { stored, traveler } = await createOrderAwaitingPayment(stack);
        const lockEnd = new Date(stack.clock.now().getTime() - 1000);
        await setOrderFields(stack, stored.orderId, { lockExpireAt: lockEnd });
        const paidInTime = formatBeijingTime(new Date(lockEnd.getTime() - 30_000));
        const before = await pollStatus(stack, traveler, stored.orderId);
        expect(before.body.status).toBe('pending');

        const { answer } = await notify(stack, paidTransaction(stack, stored, { success_time: paidInTime }));

        expect(answer.status).toBe(204);
        const records = await readPaymentRecords(stack, stored);
        expect(records.order).toMatchObject({ status: 'paid', paidAfterCancel: false });
        expect(eventsNamed(records, 'payment_succeeded')).toHaveLength(1);
        expect(eventsNamed(records, 'paid_after_cancel')).toEqual([]);
      });
    });
  });

  describe('given a success for an unknown out_trade_no', () => {
    it('answers 204, changes nothing and records the notification as unknown_order', async () => {
      const stored = await pendingOrder();
      const unknown = { ...stored, outTradeNo: randomBytes(16).toString('hex') };

      const { id, answer } = await notify(stack, paidTransaction(stack, unknown));

      expect(answer.status).toBe(204);
      expect((await readPaymentRecords(stack, unknown)).notifications).toEqual([{ id, event_type: 'TRANSACTION.SUCCESS', outcome: 'unknown_order' }]);
      expect(await stack.database.em.fork().count(Order, { outTradeNo: unknown.outTradeNo })).toBe(0);
      const records = await readPaymentRecords(stack, stored);
      expect(records.order.status).toBe('pending');
      expect(records.history.filter((row) => row.source === 'webhook')).toEqual([]);
    });
  });
});
