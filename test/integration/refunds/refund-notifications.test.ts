import { Writable } from 'node:stream';
import { createLogger } from '../../../src/observability/logger';
import { formatBeijingTime } from '../../../src/wechatpay-sdk';
import { buildRefundNotification, buildSuccessNotification } from '../../../sandbox/notifications/build-notification';
import { call } from '../helpers/http-client';
import { metricValue } from '../helpers/metrics';
import { forgedSignature, probeSignature, signNotification, strangerKey } from '../helpers/notification-signing';
import { historyOf } from '../helpers/orders-in-database';
import { createPaidOrder, readOrder, readRefunds, requestRefund, type RefundDto } from '../helpers/refunds';
import { startTestStack, type TestStack } from '../helpers/test-stack';

let stack: TestStack;
const lines: Record<string, unknown>[] = [];

// Refunds stay PROCESSING at the sandbox: the tests deliver the notifications themselves.
beforeAll(async () => {
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  stack = await startTestStack({ refundProcessingMs: 600_000, logger: createLogger('info', destination) });
});
afterAll(async () => {
  await stack.stop();
});

interface Accepted {
  orderId: string;
  refund: RefundDto;
  outTradeNo: string;
}

async function acceptedRefund(amount = 500): Promise<Accepted> {
  const paid = await createPaidOrder(stack);
  const answer = await requestRefund(stack, paid.orderId, { amount });
  if (answer.status !== 201) throw new Error(`refund failed: ${answer.text}`);
  const order = await readOrder(stack, paid.orderId);
  return { orderId: paid.orderId, refund: answer.body as RefundDto, outTradeNo: order.outTradeNo as string };
}

/** The decrypted resource of REFUND.*, agreeing with our records unless `overrides` says otherwise. */
function refundNotice(accepted: Accepted, status: string, overrides: Record<string, unknown> = {}) {
  return {
    mchid: stack.sandbox.credentials.mchId,
    out_trade_no: accepted.outTradeNo,
    transaction_id: '4200000123202612011234567890',
    out_refund_no: accepted.refund.out_refund_no,
    refund_id: accepted.refund.wechat_refund_id,
    refund_status: status,
    ...(status === 'SUCCESS' ? { success_time: formatBeijingTime(stack.clock.now()) } : {}),
    user_received_account: '支付用户零钱',
    amount: { total: 8800, refund: accepted.refund.amount, payer_total: 8800, payer_refund: accepted.refund.amount },
    ...overrides,
  };
}

function deliver(body: string, headers: Record<string, string>) {
  return call(stack.api.url, 'POST', '/refunds/wechat/notify', { body, headers: { 'User-Agent': 'Mozilla/4.0', ...headers } });
}

function notifyRefund(accepted: Accepted, status: string, overrides: Record<string, unknown> = {}) {
  const built = buildRefundNotification(refundNotice(accepted, status, overrides), stack.sandbox.credentials.apiV3Key, stack.clock.now());
  return { built, send: () => deliver(built.body, signNotification(stack, built.body)) };
}

const refundStatus = async (accepted: Accepted) => (await readRefunds(stack, accepted.orderId))[0]?.status;

describe('POST /refunds/wechat/notify', () => {
  describe('given a signed REFUND.SUCCESS', () => {
    it('answers 204 and the refund turns SUCCESS', async () => {
      const accepted = await acceptedRefund();
      const answer = await notifyRefund(accepted, 'SUCCESS').send();
      expect(answer.status).toBe(204);
      expect(await refundStatus(accepted)).toBe('SUCCESS');
      expect((await readOrder(stack, accepted.orderId)).refundedAmount).toBe(500);
    });
  });

  describe('given the same notification delivered again', () => {
    it('answers 204, changes nothing, and counts a duplicate', async () => {
      const accepted = await acceptedRefund();
      const notification = notifyRefund(accepted, 'SUCCESS');
      await notification.send();
      const before = await metricValue(stack, 'refunds_notification_processed_total', { outcome: 'duplicate' });
      expect((await notification.send()).status).toBe(204);
      expect(await metricValue(stack, 'refunds_notification_processed_total', { outcome: 'duplicate' })).toBe(before + 1);
      const successes = (await historyOf(stack, accepted.orderId)).filter((row) => row.event === 'refund_success');
      expect(successes).toHaveLength(1);
    });
  });

  describe('given REFUND.ABNORMAL', () => {
    it('marks the refund ABNORMAL for an operator', async () => {
      const accepted = await acceptedRefund();
      expect((await notifyRefund(accepted, 'ABNORMAL').send()).status).toBe(204);
      expect(await refundStatus(accepted)).toBe('ABNORMAL');
    });

    it('logs an error naming the refund, for an operator to handle', async () => {
      const accepted = await acceptedRefund();
      await notifyRefund(accepted, 'ABNORMAL').send();
      const logged = lines.find((line) => line.refundId === accepted.refund.refund_id && String(line.msg).includes('ABNORMAL'));
      expect(logged).toMatchObject({ level: 50, outRefundNo: accepted.refund.out_refund_no, amount: 500, source: 'webhook' });
    });
  });

  describe('given REFUND.CLOSED', () => {
    it('marks the refund CLOSED and releases its amount', async () => {
      const accepted = await acceptedRefund();
      await notifyRefund(accepted, 'CLOSED').send();
      expect(await refundStatus(accepted)).toBe('CLOSED');
      expect((await readOrder(stack, accepted.orderId)).refundAmount).toBe(0);
    });
  });

  describe('given REFUND.SUCCESS after the refund is CLOSED', () => {
    it('answers 204 and keeps it CLOSED: terminal states absorb', async () => {
      const accepted = await acceptedRefund();
      await notifyRefund(accepted, 'CLOSED').send();
      expect((await notifyRefund(accepted, 'SUCCESS').send()).status).toBe(204);
      expect(await refundStatus(accepted)).toBe('CLOSED');
    });
  });

  describe('given a forged signature', () => {
    it('answers 401 FAIL and changes nothing', async () => {
      const accepted = await acceptedRefund();
      const { built } = notifyRefund(accepted, 'SUCCESS');
      const answer = await deliver(built.body, signNotification(stack, built.body, { signature: forgedSignature() }));
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ code: 'FAIL', message: 'signature verification failed' });
      expect(await refundStatus(accepted)).toBe('PROCESSING');
    });
  });

  describe('given a body signed with a key WeChat Pay never had', () => {
    it('answers 401', async () => {
      const accepted = await acceptedRefund();
      const { built } = notifyRefund(accepted, 'SUCCESS');
      expect((await deliver(built.body, signNotification(stack, built.body, { key: strangerKey() }))).status).toBe(401);
      expect(await refundStatus(accepted)).toBe('PROCESSING');
    });
  });

  describe('given a WECHATPAY/SIGNTEST/ probe', () => {
    it('answers 401, never 2xx, and counts it under reason probe', async () => {
      const accepted = await acceptedRefund();
      const { built } = notifyRefund(accepted, 'SUCCESS');
      const before = await metricValue(stack, 'refunds_notification_rejected_total', { reason: 'probe' });
      const answer = await deliver(built.body, signNotification(stack, built.body, { signature: probeSignature() }));
      expect(answer.status).toBe(401);
      expect(await metricValue(stack, 'refunds_notification_rejected_total', { reason: 'probe' })).toBe(before + 1);
      expect(await refundStatus(accepted)).toBe('PROCESSING');
    });
  });

  describe("given the sandbox's own probe of a refund notification", () => {
    it('is refused', async () => {
      const accepted = await acceptedRefund();
      const probe = await call<{ refused: boolean }>(stack.sandbox.url, 'POST', `/sandbox/refunds/${accepted.refund.out_refund_no}/probe-notification`);
      expect(probe.body.refused).toBe(true);
    });
  });

  describe('given a payment notification sent to the refund endpoint', () => {
    it('answers 401: original_type transaction is not a refund', async () => {
      const built = buildSuccessNotification({ out_trade_no: 'x' }, stack.sandbox.credentials.apiV3Key, stack.clock.now());
      expect((await deliver(built.body, signNotification(stack, built.body))).status).toBe(401);
    });
  });

  describe('given a verified notification whose refund amount disagrees with ours', () => {
    it('answers 204, records refund_mismatch, and leaves the refund as it was', async () => {
      const accepted = await acceptedRefund();
      const notification = notifyRefund(accepted, 'SUCCESS', { amount: { total: 8800, refund: 8800, payer_total: 8800, payer_refund: 8800 } });
      expect((await notification.send()).status).toBe(204);
      expect(await refundStatus(accepted)).toBe('PROCESSING');
      const mismatch = (await historyOf(stack, accepted.orderId)).find((row) => row.event === 'refund_mismatch');
      expect(mismatch?.detail).toMatchObject({ mismatches: ['amount.refund'] });
    });
  });

  describe('given a notification about an out_refund_no we never sent', () => {
    it('answers 204 and records the outcome unknown_refund', async () => {
      const accepted = await acceptedRefund();
      const { built, send } = notifyRefund(accepted, 'SUCCESS', { out_refund_no: 'unknown-refund-no' });
      expect((await send()).status).toBe(204);
      const [row]: { outcome: string }[] = await stack.database.em.fork().execute('select outcome from payment_notifications where id = ?', [built.id]);
      expect(row?.outcome).toBe('unknown_refund');
    });
  });

  describe('given the sandbox settles a refund', () => {
    it('delivers a signed, encrypted REFUND.SUCCESS that the API applies', async () => {
      const accepted = await acceptedRefund();
      await call(stack.sandbox.url, 'POST', `/sandbox/refunds/${accepted.refund.out_refund_no}/result`, { body: { status: 'SUCCESS' } });
      const deadline = Date.now() + 5000;
      while ((await refundStatus(accepted)) !== 'SUCCESS' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(await refundStatus(accepted)).toBe('SUCCESS');
    });
  });
});
