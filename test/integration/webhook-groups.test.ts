import { buildNotification, createOrderAwaitingPayment, deliverNotification, paidTransaction } from './helpers/notifications';
import { metricValue } from './helpers/metrics';
import { eventsNamed, failEveryPaymentSucceededInsert, readPaymentRecords, type StoredTransaction } from './helpers/payment-records';
import { signNotification } from './helpers/notification-signing';
import { startTestStack, type TestStack } from './helpers/test-stack';

/** Many notifications at once are applied in shared transactions; each still counts alone. */
describe('POST /payments/wechat/notify: notifications of many orders arriving together', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  const pendingOrders = async (count: number) => {
    const orders: StoredTransaction[] = [];
    for (let i = 0; i < count; i += 1) orders.push((await createOrderAwaitingPayment(stack)).stored);
    return orders;
  };

  const deliverAllAtOnce = (orders: StoredTransaction[]) => {
    const notifications = orders.map((stored) => buildNotification(stack, paidTransaction(stack, stored)));
    return Promise.all(
      notifications.map(async ({ id, body }) => ({ id, status: (await deliverNotification(stack, body, signNotification(stack, body))).status })),
    );
  };

  const groups = async () => ({
    committed: await metricValue(stack, 'payments_notification_groups_total', { outcome: 'committed' }),
    retriedAlone: await metricValue(stack, 'payments_notification_groups_total', { outcome: 'retried_alone' }),
  });

  describe('given 40 pending orders', () => {
    describe('when a success for each is delivered at the same moment', () => {
      it('answers 204 to all and pays each order once, with one payment_succeeded row and its notification recorded as applied', async () => {
        const orders = await pendingOrders(40);
        const before = await groups();

        const answers = await deliverAllAtOnce(orders);

        expect(answers.map((answer) => answer.status)).toEqual(Array(40).fill(204));
        const after = await groups();
        expect(after.committed).toBeGreaterThan(before.committed);
        expect(after.retriedAlone).toBe(before.retriedAlone);
        for (const [i, stored] of orders.entries()) {
          const records = await readPaymentRecords(stack, stored);
          expect(records.order.status).toBe('paid');
          expect(eventsNamed(records, 'payment_succeeded')).toEqual([expect.objectContaining({ notificationId: answers[i]?.id })]);
          expect(records.notifications).toEqual([{ id: answers[i]?.id, event_type: 'TRANSACTION.SUCCESS', outcome: 'applied' }]);
        }
      });
    });

    describe('when one of the successes can never be applied (its history row fails)', () => {
      it('answers 500 to that one and leaves nothing of it, and applies every other one', async () => {
        const orders = await pendingOrders(40);
        const broken = orders[17] as StoredTransaction;
        const removeFault = await failEveryPaymentSucceededInsert(stack, broken.orderId);
        const before = await groups();

        let answers: { id: string; status: number }[];
        try {
          answers = await deliverAllAtOnce(orders);
        } finally {
          await removeFault();
        }

        expect(answers.map((answer) => answer.status)).toEqual(orders.map((stored) => (stored === broken ? 500 : 204)));
        expect((await groups()).retriedAlone).toBeGreaterThan(before.retriedAlone);
        const brokenRecords = await readPaymentRecords(stack, broken);
        expect(brokenRecords.order.status).toBe('pending');
        expect(brokenRecords.notifications).toEqual([]);
        for (const stored of orders.filter((other) => other !== broken)) {
          const records = await readPaymentRecords(stack, stored);
          expect(records.order.status).toBe('paid');
          expect(eventsNamed(records, 'payment_succeeded')).toHaveLength(1);
        }
      });
    });
  });

  describe('given 30 pending orders, one of them announced twice (two notification ids) in the same burst', () => {
    it('pays that order once, with its payment_succeeded row before its payment_confirmed_again row', async () => {
      const orders = await pendingOrders(30);
      const twice = orders[11] as StoredTransaction;

      const answers = await deliverAllAtOnce([...orders, twice]);

      expect(answers.map((answer) => answer.status)).toEqual(Array(31).fill(204));
      const records = await readPaymentRecords(stack, twice);
      expect(records.order.status).toBe('paid');
      const webhookEvents = records.history.filter((row) => row.source === 'webhook').map((row) => row.event);
      expect(webhookEvents).toEqual(['payment_succeeded', 'payment_confirmed_again']);
      expect(records.notifications.map((notification) => notification.outcome).sort()).toEqual(['already_paid', 'applied']);
    });
  });
});
