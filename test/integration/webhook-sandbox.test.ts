import { call } from './helpers/http-client';
import { metricIncrease } from './helpers/metrics';
import { buildNotification, createOrderAwaitingPayment, deliverNotification, paidTransaction } from './helpers/notifications';
import { eventsNamed, failFirstPaymentSucceededInsert, readPaymentRecords, statusChanges, waitForRecords, webhookRows } from './helpers/payment-records';
import { signNotification } from './helpers/notification-signing';
import { startTestStack, type TestStack } from './helpers/test-stack';
import { requestSession, payInSandbox, type PaymentSession } from './helpers/travelers';

interface SandboxNotification {
  id: string;
  outTradeNo: string;
  probe: boolean;
  state: string;
  attempts: { kind: string; status: number | null }[];
}

async function sandboxNotificationsOf(stack: TestStack, outTradeNo: string): Promise<SandboxNotification[]> {
  const answer = await call<{ notifications: SandboxNotification[] }>(stack.sandbox.url, 'GET', '/sandbox/notifications');
  return answer.body.notifications.filter((notification) => notification.outTradeNo === outTradeNo);
}

/** The sandbox records an attempt once it has read the answer, a moment after our transaction committed. */
async function waitUntilDelivered(stack: TestStack, outTradeNo: string): Promise<SandboxNotification[]> {
  const deadline = Date.now() + 2000;
  let notifications = await sandboxNotificationsOf(stack, outTradeNo);
  while (!notifications.every((notification) => notification.state === 'delivered') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    notifications = await sandboxNotificationsOf(stack, outTradeNo);
  }
  return notifications;
}

describe('POST /payments/wechat/notify: the sandbox WeChat Pay delivers', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  /** A pending order with a session, paid in the sandbox as wx.requestPayment would. */
  async function payOrder() {
    const { traveler, stored } = await createOrderAwaitingPayment(stack);
    const session = await requestSession(stack, traveler, stored.orderId);
    return { stored, pay: () => payInSandbox(stack, session.body as PaymentSession) };
  }

  describe('given a pending order with a session', () => {
    describe('when the traveler pays', () => {
      it('pays it within 2 s through one transition from the webhook', async () => {
        const { stored, pay } = await payOrder();
        const paidAt = Date.now();
        expect((await pay()).status).toBe(200);

        const records = await waitForRecords(stack, stored, (r) => r.order.status === 'paid');
        expect(Date.now() - paidAt).toBeLessThan(2000);
        expect(records.order).toMatchObject({ status: 'paid', tradeState: 'SUCCESS', paidAfterCancel: false });
        const [sent] = await waitUntilDelivered(stack, stored.outTradeNo);
        expect(statusChanges(records)).toEqual([
          expect.objectContaining({ event: 'payment_succeeded', fromStatus: 'pending', toStatus: 'paid', source: 'webhook', notificationId: sent?.id }),
        ]);
        expect(records.notifications).toEqual([{ id: sent?.id, event_type: 'TRANSACTION.SUCCESS', outcome: 'applied' }]);
        expect(sent?.attempts).toEqual([expect.objectContaining({ kind: 'scheduled', status: 204 })]);
      });
    });

    describe('when the first delivery fails in the database (500) and the sandbox retries', () => {
      it('pays it once from the same notification id', async () => {
        const { stored, pay } = await payOrder();
        const removeFault = await failFirstPaymentSucceededInsert(stack, stored.orderId);
        try {
          expect((await pay()).status).toBe(200);
          const records = await waitForRecords(stack, stored, (r) => r.order.status === 'paid');

          const [sent, ...others] = await waitUntilDelivered(stack, stored.outTradeNo);
          expect(others).toEqual([]);
          expect(sent?.attempts.map((attempt) => attempt.status)).toEqual([500, 204]);
          expect(statusChanges(records)).toEqual([expect.objectContaining({ event: 'payment_succeeded', toStatus: 'paid', notificationId: sent?.id })]);
          // the failed attempt left nothing behind: its claim of the id was rolled back with the status change
          expect(records.notifications).toEqual([{ id: sent?.id, event_type: 'TRANSACTION.SUCCESS', outcome: 'applied' }]);
        } finally {
          await removeFault();
        }
      });
    });
  });

  describe('given a signature probe from WeChat Pay', () => {
    it('refuses it with 401 FAIL, counts it as a probe and writes nothing', async () => {
      const { stored } = await createOrderAwaitingPayment(stack);
      const increase = await metricIncrease(stack, 'payments_notification_rejected_total', { reason: 'probe' }, async () => {
        const answer = await call<{ refused: boolean; notification: SandboxNotification }>(stack.sandbox.url, 'POST', '/sandbox/probe-notification', {
          body: { out_trade_no: stored.outTradeNo },
        });
        expect(answer.body.refused).toBe(true);
        expect(answer.body.notification.attempts).toEqual([expect.objectContaining({ kind: 'probe', status: 401 })]);
      });
      expect(increase).toBe(1);
      const records = await readPaymentRecords(stack, stored);
      expect(records.order.status).toBe('pending');
      expect(webhookRows(records)).toEqual([]);
      expect(records.notifications).toEqual([]);
    });
  });

  describe('given the sandbox redelivers a notification already applied', () => {
    it('answers 204 and counts only a duplicate', async () => {
      const { stored, pay } = await payOrder();
      await pay();
      await waitForRecords(stack, stored, (r) => r.order.status === 'paid');
      const [sent] = await sandboxNotificationsOf(stack, stored.outTradeNo);

      const increase = await metricIncrease(stack, 'payments_notification_duplicate_total', {}, async () => {
        const resent = await call<{ attempt: { status: number } }>(stack.sandbox.url, 'POST', '/sandbox/notifications/resend', { body: { id: sent?.id } });
        expect(resent.body.attempt.status).toBe(204);
      });
      expect(increase).toBe(1);
      const records = await readPaymentRecords(stack, stored);
      expect(eventsNamed(records, 'payment_succeeded')).toHaveLength(1);
      expect(webhookRows(records)).toHaveLength(1);
    });
  });
});

describe('POST /payments/wechat/notify: WeChat Pay key modes', () => {
  describe('given an API configured with both keys', () => {
    describe('when a notification is signed with the platform certificate', () => {
      it('verifies it and pays the order', async () => {
        const stack = await startTestStack({ keyMode: 'both' });
        try {
          const { stored } = await createOrderAwaitingPayment(stack);
          const notification = buildNotification(stack, paidTransaction(stack, stored));
          const answer = await deliverNotification(stack, notification.body, signNotification(stack, notification.body, { key: 'platform-certificate' }));
          expect(answer.status).toBe(204);
          expect((await readPaymentRecords(stack, stored)).order.status).toBe('paid');
        } finally {
          await stack.stop();
        }
      });
    });
  });

  describe.each([
    ['platform certificates only', 'platform-certificate', 'platform-certificate'],
    ['both keys, while WeChat alternates between them (a migration)', 'both', 'alternate'],
  ] as const)('given an API verifying with %s', (_name, keyMode, signingMode) => {
    describe('when the traveler pays in the sandbox', () => {
      it('verifies the session and the notification and pays the order', async () => {
        const stack = await startTestStack({ keyMode, signingMode });
        try {
          for (let i = 0; i < 2; i++) {
            const { traveler, stored } = await createOrderAwaitingPayment(stack);
            const session = await requestSession(stack, traveler, stored.orderId);
            expect(session.status).toBe(200);
            expect((await payInSandbox(stack, session.body as PaymentSession)).status).toBe(200);
            expect((await waitForRecords(stack, stored, (records) => records.order.status === 'paid')).order.status).toBe('paid');
          }
        } finally {
          await stack.stop();
        }
      });
    });
  });
});
