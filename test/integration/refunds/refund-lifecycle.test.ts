import { randomUUID } from 'node:crypto';
import { call } from '../helpers/http-client';
import { metricValue } from '../helpers/metrics';
import { historyOf, setOrderFields } from '../helpers/orders-in-database';
import { createPaidOrder, eventually, readOrder, readRefunds, requestRefund, sandboxRefund, waitForRefundStatus } from '../helpers/refunds';
import { startTestStack, type TestStack } from '../helpers/test-stack';
import { createPendingOrder, injectFault, loginAs, pollStatus, sandboxCalls } from '../helpers/travelers';

const REFUNDS_PATH = '/v3/refund/domestic/refunds';
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack.stop();
});
afterEach(async () => {
  await call(stack.sandbox.url, 'DELETE', '/sandbox/faults');
});

describe('POST /admin/orders/{orderId}/refunds', () => {
  describe('given a paid order', () => {
    it('answers 201 PROCESSING with an out_refund_no committed before WeChat was called', async () => {
      const paid = await createPaidOrder(stack);
      const answer = await requestRefund(stack, paid.orderId, { amount: 8800, reason: '行程取消' });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ order_id: paid.orderId, amount: 8800, status: 'PROCESSING', reason: '行程取消' });
      const atWechat = await sandboxRefund(stack, answer.body.out_refund_no);
      expect(JSON.parse(atWechat.body.bodies[0] as string)).toMatchObject({
        out_refund_no: answer.body.out_refund_no,
        amount: { refund: 8800, total: 8800, currency: 'CNY' },
      });
    });

    it('turns SUCCESS when WeChat Pay notifies REFUND.SUCCESS, and the traveler sees refunded', async () => {
      const paid = await createPaidOrder(stack);
      const answer = await requestRefund(stack, paid.orderId, { amount: 8800 });
      const refund = await waitForRefundStatus(stack, answer.body.refund_id, 'SUCCESS');
      expect(refund).toMatchObject({ status: 'SUCCESS', channel: 'ORIGINAL', user_received_account: '支付用户零钱' });
      const status = await pollStatus(stack, paid.traveler, paid.orderId);
      expect(status.body).toEqual({ status: 'paid', lock_expire_at: expect.any(String), refund: { status: 'refunded', amount: 8800 } });
    });

    it('records the request and each state in the order history', async () => {
      const paid = await createPaidOrder(stack);
      const answer = await requestRefund(stack, paid.orderId, { amount: 100 });
      await waitForRefundStatus(stack, answer.body.refund_id, 'SUCCESS');
      const events = (await historyOf(stack, paid.orderId)).map((row) => `${row.event}:${row.source}`);
      expect(events).toEqual(expect.arrayContaining(['refund_requested:admin', 'refund_processing:admin', 'refund_success:webhook']));
    });
  });

  describe('given a partial refund, then the rest', () => {
    it('refunds both and the sum equals the amount paid', async () => {
      const paid = await createPaidOrder(stack, 5000);
      const first = await requestRefund(stack, paid.orderId, { amount: 2000 });
      const rest = await requestRefund(stack, paid.orderId, { amount: 3000 });
      expect([first.status, rest.status]).toEqual([201, 201]);
      await waitForRefundStatus(stack, rest.body.refund_id, 'SUCCESS');
      await waitForRefundStatus(stack, first.body.refund_id, 'SUCCESS');
      expect(await readOrder(stack, paid.orderId)).toMatchObject({ refundAmount: 5000, refundedAmount: 5000, status: 'paid' });
    });

    it('shows the traveler processing while a part is still under way', async () => {
      const slow = await startTestStack({ refundProcessingMs: 60_000 });
      try {
        const paid = await createPaidOrder(slow, 5000);
        await requestRefund(slow, paid.orderId, { amount: 2000 });
        const status = await pollStatus(slow, paid.traveler, paid.orderId);
        expect((status.body as { refund?: unknown }).refund).toEqual({ status: 'processing', amount: 2000 });
      } finally {
        await slow.stop();
      }
    });
  });

  describe('given a refund over what is left', () => {
    it('answers 409 REFUND_EXCEEDS_PAID and WeChat is never called', async () => {
      const paid = await createPaidOrder(stack, 5000);
      await requestRefund(stack, paid.orderId, { amount: 4000 });
      await call(stack.sandbox.url, 'DELETE', '/sandbox/calls');
      const answer = await requestRefund(stack, paid.orderId, { amount: 1001 });
      expect(answer.status).toBe(409);
      expect(answer.body).toMatchObject({ code: 'REFUND_EXCEEDS_PAID', detail: 'At most 1000 fen of this order can still be refunded.' });
      expect(await sandboxCalls(stack, REFUNDS_PATH)).toEqual([]);
    });
  });

  describe('given an order that is not paid', () => {
    it('answers 409 REFUND_NOT_ALLOWED and stores nothing', async () => {
      const traveler = await loginAs(stack);
      const order = await createPendingOrder(stack, traveler);
      const answer = await requestRefund(stack, order.order_id, { amount: 100 });
      expect(answer.status).toBe(409);
      expect(answer.body.code).toBe('REFUND_NOT_ALLOWED');
      expect(await readRefunds(stack, order.order_id)).toEqual([]);
    });
  });

  describe('given an order flagged paid_after_cancel', () => {
    it('refunds it although its status is cancelled', async () => {
      const paid = await createPaidOrder(stack);
      await setOrderFields(stack, paid.orderId, { status: 'cancelled', paidAfterCancel: true });
      const answer = await requestRefund(stack, paid.orderId, { amount: 8800 });
      expect(answer.status).toBe(201);
    });
  });

  describe('given an unknown order', () => {
    it('answers 404 ORDER_NOT_FOUND', async () => {
      const answer = await requestRefund(stack, randomUUID(), { amount: 100 });
      expect(answer.status).toBe(404);
      expect(answer.body.code).toBe('ORDER_NOT_FOUND');
    });
  });

  describe('given a reason longer than 80 bytes of UTF-8', () => {
    it('answers 400 VALIDATION_FAILED', async () => {
      const paid = await createPaidOrder(stack);
      const answer = await requestRefund(stack, paid.orderId, { amount: 100, reason: '退'.repeat(27) });
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('VALIDATION_FAILED');
    });
  });
});

describe('the Idempotency-Key of a refund', () => {
  describe('given the same key and body again', () => {
    it('replays the first answer byte for byte, and WeChat hears of the refund once', async () => {
      const paid = await createPaidOrder(stack);
      const key = randomUUID();
      const first = await requestRefund(stack, paid.orderId, { amount: 300 }, key);
      await call(stack.sandbox.url, 'DELETE', '/sandbox/calls');
      const again = await requestRefund(stack, paid.orderId, { amount: 300 }, key);
      expect(again.status).toBe(201);
      expect(again.text).toBe(first.text);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await sandboxCalls(stack, REFUNDS_PATH)).toEqual([]);
      expect(await readRefunds(stack, paid.orderId)).toHaveLength(1);
    });
  });

  describe('given the same key with another body', () => {
    it('answers 422 IDEMPOTENCY_KEY_REUSED', async () => {
      const paid = await createPaidOrder(stack);
      const key = randomUUID();
      await requestRefund(stack, paid.orderId, { amount: 300 }, key);
      const other = await requestRefund(stack, paid.orderId, { amount: 301 }, key);
      expect(other.status).toBe(422);
      expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });
  });
});

describe('WeChat Pay failures of a refund request', () => {
  describe('given WeChat fails with 500 three times', () => {
    it('answers 502, keeps the refund PENDING, and the retry with the same key re-sends the identical body', async () => {
      const paid = await createPaidOrder(stack);
      const key = randomUUID();
      await injectFault(stack, { path: REFUNDS_PATH, count: 3, status: 500 });
      const failed = await requestRefund(stack, paid.orderId, { amount: 500 }, key);
      expect(failed.status).toBe(502);
      const [pending] = await readRefunds(stack, paid.orderId);
      expect(pending).toMatchObject({ status: 'PENDING', failureCode: 'SYSTEM_ERROR' });
      const retried = await requestRefund(stack, paid.orderId, { amount: 500 }, key);
      expect(retried.status).toBe(201);
      expect(retried.body.out_refund_no).toBe(pending?.outRefundNo);
      const atWechat = await sandboxRefund(stack, pending?.outRefundNo as string);
      expect(atWechat.body.bodies).toEqual([pending?.requestBody]);
    });
  });

  describe('given the answer is lost after WeChat accepted the refund', () => {
    it('re-sends the identical body and WeChat answers the same refund: one refund at WeChat', async () => {
      const paid = await createPaidOrder(stack);
      await injectFault(stack, { path: REFUNDS_PATH, count: 1, drop: true });
      const answer = await requestRefund(stack, paid.orderId, { amount: 700 });
      expect(answer.status).toBe(201);
      const atWechat = await sandboxRefund(stack, answer.body.out_refund_no);
      expect(atWechat.body.bodies).toHaveLength(2);
      expect(new Set(atWechat.body.bodies).size).toBe(1);
      expect(await readRefunds(stack, paid.orderId)).toHaveLength(1);
    });
  });

  describe('given every try times out', () => {
    it('answers 504, and the reconciler re-sends the stored body later', async () => {
      const slow = await startTestStack({ refundProcessingMs: 60_000 });
      try {
        const paid = await createPaidOrder(slow);
        await injectFault(slow, { path: REFUNDS_PATH, count: 1, delayMs: 2500 });
        const answer = await requestRefund(slow, paid.orderId, { amount: 900 });
        expect(answer.status).toBe(504);
        const [pending] = await readRefunds(slow, paid.orderId);
        expect(pending?.status).toBe('PENDING');
        expect(await slow.api.services.refunds.reconcileRefund(pending?.id as string)).toBe('PROCESSING');
        const atWechat = await sandboxRefund(slow, pending?.outRefundNo as string);
        expect(atWechat.body.bodies).toEqual([pending?.requestBody, pending?.requestBody]);
      } finally {
        await slow.stop();
      }
    });
  });

  describe('given WeChat answers NOT_ENOUGH', () => {
    it('answers 409 REFUND_BALANCE_INSUFFICIENT and a later retry with the same key succeeds', async () => {
      const paid = await createPaidOrder(stack);
      const key = randomUUID();
      await injectFault(stack, { path: REFUNDS_PATH, count: 1, status: 403, code: 'NOT_ENOUGH', message: '基本账户余额不足' });
      const short = await requestRefund(stack, paid.orderId, { amount: 800 }, key);
      expect(short.status).toBe(409);
      expect(short.body.code).toBe('REFUND_BALANCE_INSUFFICIENT');
      expect((await requestRefund(stack, paid.orderId, { amount: 800 }, key)).status).toBe(201);
    });
  });

  describe('given WeChat answers FREQUENCY_LIMITED on every try', () => {
    it('answers 429 REFUND_FREQUENCY_LIMITED with Retry-After', async () => {
      const paid = await createPaidOrder(stack);
      await injectFault(stack, { path: REFUNDS_PATH, count: 3, status: 429 });
      const limited = await requestRefund(stack, paid.orderId, { amount: 800 });
      expect(limited.status).toBe(429);
      expect(limited.body.code).toBe('REFUND_FREQUENCY_LIMITED');
      expect(limited.headers.get('retry-after')).toBe('60');
    });
  });

  describe('given WeChat answers INVALID_REQUEST', () => {
    it('answers 422 REFUND_REJECTED, marks the refund REJECTED and releases its amount', async () => {
      const paid = await createPaidOrder(stack, 1000);
      const key = randomUUID();
      await injectFault(stack, { path: REFUNDS_PATH, count: 1, status: 400, code: 'INVALID_REQUEST', message: '订单已全额退款' });
      const rejected = await requestRefund(stack, paid.orderId, { amount: 1000 }, key);
      expect(rejected.status).toBe(422);
      expect(rejected.body).toMatchObject({ code: 'REFUND_REJECTED', detail: expect.stringContaining('INVALID_REQUEST') });
      expect(await readOrder(stack, paid.orderId)).toMatchObject({ refundAmount: 0 });
      expect((await requestRefund(stack, paid.orderId, { amount: 1000 }, key)).body.code).toBe('REFUND_REJECTED');
      expect((await requestRefund(stack, paid.orderId, { amount: 1000 })).status).toBe(201);
    });
  });

  describe('given WeChat answers USER_ACCOUNT_ABNORMAL', () => {
    it('answers 422 REFUND_USER_ACCOUNT_ABNORMAL', async () => {
      const paid = await createPaidOrder(stack);
      await injectFault(stack, { path: REFUNDS_PATH, count: 1, status: 403, code: 'USER_ACCOUNT_ABNORMAL', message: '退款请求失败' });
      const answer = await requestRefund(stack, paid.orderId, { amount: 100 });
      expect(answer.status).toBe(422);
      expect(answer.body.code).toBe('REFUND_USER_ACCOUNT_ABNORMAL');
    });
  });
});

describe('refund outcomes other than SUCCESS', () => {
  describe('given WeChat reports REFUND.ABNORMAL', () => {
    it('marks the refund ABNORMAL and counts it in refunds_abnormal_total for an operator', async () => {
      const paid = await createPaidOrder(stack);
      const before = await metricValue(stack, 'refunds_abnormal_total');
      await call(stack.sandbox.url, 'POST', '/sandbox/refund-outcomes', { body: { status: 'ABNORMAL', count: 1 } });
      const answer = await requestRefund(stack, paid.orderId, { amount: 100 });
      await waitForRefundStatus(stack, answer.body.refund_id, 'ABNORMAL');
      expect(await metricValue(stack, 'refunds_abnormal_total')).toBe(before + 1);
    });
  });

  describe('given WeChat reports REFUND.CLOSED', () => {
    it('marks the refund CLOSED and its amount can be refunded again', async () => {
      const slow = await startTestStack({ refundProcessingMs: 60_000 });
      try {
        const paid = await createPaidOrder(slow, 1000);
        const answer = await requestRefund(slow, paid.orderId, { amount: 1000 });
        await call(slow.sandbox.url, 'POST', `/sandbox/refunds/${answer.body.out_refund_no}/result`, { body: { status: 'CLOSED' } });
        await waitForRefundStatus(slow, answer.body.refund_id, 'CLOSED');
        expect(await readOrder(slow, paid.orderId)).toMatchObject({ refundAmount: 0, refundedAmount: 0 });
        expect((await requestRefund(slow, paid.orderId, { amount: 1000 })).status).toBe(201);
      } finally {
        await slow.stop();
      }
    });
  });
});

describe('the reconciler over refunds that stay PROCESSING', () => {
  describe("given WeChat's refund notification never arrives", () => {
    it('queries the refund and applies SUCCESS', async () => {
      const deaf = await startTestStack({ refundProcessingMs: 0, refundNotifyUrl: 'http://127.0.0.1:9/refunds/wechat/notify' });
      try {
        const paid = await createPaidOrder(deaf);
        const answer = await requestRefund(deaf, paid.orderId, { amount: 100 });
        await eventually(
          () => sandboxRefund(deaf, answer.body.out_refund_no),
          (found) => found.body.refund.status === 'SUCCESS',
        );
        expect(await readRefunds(deaf, paid.orderId)).toMatchObject([{ status: 'PROCESSING' }]);
        expect(await deaf.api.services.refunds.reconcileRefund(answer.body.refund_id)).toBe('SUCCESS');
        const events = (await historyOf(deaf, paid.orderId)).map((row) => `${row.event}:${row.source}`);
        expect(events).toContain('refund_success:reconciler');
      } finally {
        await deaf.stop();
      }
    });
  });
});
