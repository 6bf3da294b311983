import { buildNotification, createOrderAwaitingPayment, deliverNotification, paidTransaction } from './helpers/notifications';
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

  describe('given 40 pending orders', () => {
    describe('when a success for each is delivered at the same moment', () => {
      it('answers 204 to all and pays each order once, with one payment_succeeded row and its notification recorded as applied', async () => {
        const orders = await pendingOrders(40);

        const answers = await deliverAllAtOnce(orders);

        expect(answers.map((answer) => answer.status)).toEqual(Array(40).fill(204));
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

        let answers: { id: string; status: number }[];
        try {
          answers = await deliverAllAtOnce(orders);
        } finally {
          await removeFault();
        }

        expect(answers.map((answer) => answer.status)).toEqual(orders.map((stored) => (stored === broken ? 500 : 204)));
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
});
