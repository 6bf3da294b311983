import { randomUUID } from 'node:crypto';
import { operatorKeyId } from '../../../src/admin/operator-keys';
import { OperatorAuditEntry } from '../../../src/persistence/entities/operator-audit-entry';
import { asOperator, createPaidOrder, requestRefund, waitForRefundStatus } from '../helpers/refunds';
import { call } from '../helpers/http-client';
import { startTestStack, TEST_OPERATOR_KEY, type TestStack } from '../helpers/test-stack';
import { loginAs, pollStatus } from '../helpers/travelers';

const SECOND_KEY = 'second-operator-key-abcdefghijklmnopqrstuvwxyz';
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ env: { ADMIN_API_KEYS: `${TEST_OPERATOR_KEY}, ${SECOND_KEY}` } });
});
afterAll(async () => {
  await stack.stop();
});

const auditOf = (filter: Partial<OperatorAuditEntry>) => stack.database.em.fork().find(OperatorAuditEntry, filter, { orderBy: { id: 'asc' } });

describe('operator authentication', () => {
  describe('given no Authorization header', () => {
    it('answers 401 OPERATOR_UNAUTHORIZED on every /admin route', async () => {
      for (const [method, path] of [
        ['GET', `/admin/orders/${randomUUID()}`],
        ['POST', `/admin/orders/${randomUUID()}/refunds`],
        ['GET', `/admin/refunds/${randomUUID()}`],
        ['GET', '/admin/no-such-route'],
      ] as const) {
        const answer = await asOperator(stack, method, path, { key: null });
        expect([path, answer.status, answer.body.code]).toEqual([path, 401, 'OPERATOR_UNAUTHORIZED']);
      }
    });
  });

  describe("given a traveler's token", () => {
    it('refuses it on /admin with 401 OPERATOR_UNAUTHORIZED', async () => {
      const traveler = await loginAs(stack);
      const answer = await asOperator(stack, 'GET', `/admin/orders/${randomUUID()}`, { key: traveler.token });
      expect(answer.status).toBe(401);
      expect(answer.body.code).toBe('OPERATOR_UNAUTHORIZED');
    });
  });

  describe('given an operator key on a traveler route', () => {
    it('refuses it with 401 UNAUTHORIZED', async () => {
      const paid = await createPaidOrder(stack);
      const status = await call(stack.api.url, 'GET', `/payments/${paid.orderId}/status`, { token: TEST_OPERATOR_KEY });
      const order = await call(stack.api.url, 'POST', '/orders', {
        token: TEST_OPERATOR_KEY,
        body: { amount: 100, description: 'x' },
        headers: { 'Idempotency-Key': randomUUID() },
      });
      expect([status.status, status.body.code, order.status, order.body.code]).toEqual([401, 'UNAUTHORIZED', 401, 'UNAUTHORIZED']);
    });
  });

  describe('given a key that is not configured', () => {
    it('answers 401 OPERATOR_UNAUTHORIZED', async () => {
      const answer = await asOperator(stack, 'GET', `/admin/orders/${randomUUID()}`, { key: 'x'.repeat(40) });
      expect(answer.body.code).toBe('OPERATOR_UNAUTHORIZED');
    });
  });

  describe('given the second configured key', () => {
    it('opens the operator API', async () => {
      const answer = await asOperator(stack, 'GET', `/admin/orders/${randomUUID()}`, { key: SECOND_KEY });
      expect(answer.status).toBe(404);
      expect(answer.body.code).toBe('ORDER_NOT_FOUND');
    });
  });
});

describe('GET /admin/orders/{orderId}', () => {
  describe('given a paid and refunded order', () => {
    it('shows its WeChat ids, its refunds and its whole history', async () => {
      const paid = await createPaidOrder(stack);
      const refund = await requestRefund(stack, paid.orderId, { amount: 1200, reason: '退差价' });
      await waitForRefundStatus(stack, refund.body.refund_id, 'SUCCESS');
      const answer = await asOperator(stack, 'GET', `/admin/orders/${paid.orderId}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        order_id: paid.orderId,
        status: 'paid',
        refund_amount: 1200,
        refunded_amount: 1200,
        wechat: { out_trade_no: expect.any(String), transaction_id: expect.stringMatching(/^4200/), trade_state: 'SUCCESS' },
        refunds: [{ refund_id: refund.body.refund_id, amount: 1200, status: 'SUCCESS', reason: '退差价' }],
      });
      const events = (answer.body.history as { event: string }[]).map((row) => row.event);
      expect(events).toEqual([
        'order_created',
        'transaction_prepared',
        'session_created',
        'payment_succeeded',
        'refund_requested',
        'refund_processing',
        'refund_success',
      ]);
    });
  });

  describe('given a malformed order id', () => {
    it('answers 404 ORDER_NOT_FOUND', async () => {
      const answer = await asOperator(stack, 'GET', '/admin/orders/not-a-uuid');
      expect(answer.status).toBe(404);
    });
  });
});

describe('GET /admin/refunds/{refundId}', () => {
  describe('given an unknown refund', () => {
    it('answers 404 REFUND_NOT_FOUND', async () => {
      const answer = await asOperator(stack, 'GET', `/admin/refunds/${randomUUID()}`);
      expect(answer.status).toBe(404);
      expect(answer.body.code).toBe('REFUND_NOT_FOUND');
    });
  });
});

describe('the operator audit log', () => {
  describe('given a refund, a view and a refused refund by one key', () => {
    it('records each with the key id, the action, the target, the outcome and the time', async () => {
      const paid = await createPaidOrder(stack, 1000);
      const refund = await requestRefund(stack, paid.orderId, { amount: 1000 });
      await asOperator(stack, 'GET', `/admin/orders/${paid.orderId}`);
      await requestRefund(stack, paid.orderId, { amount: 1 });
      const rows = await auditOf({ orderId: paid.orderId });
      expect(rows.map((row) => [row.keyId, row.action, row.detail?.outcome])).toEqual([
        [operatorKeyId(TEST_OPERATOR_KEY), 'refund.create', 'ok'],
        [operatorKeyId(TEST_OPERATOR_KEY), 'order.view', 'ok'],
        [operatorKeyId(TEST_OPERATOR_KEY), 'refund.create', 'REFUND_EXCEEDS_PAID'],
      ]);
      expect(rows[0]).toMatchObject({ refundId: refund.body.refund_id, requestId: refund.headers.get('x-request-id'), createdAt: expect.any(Date) });
    });

    it('stores the key id, never the key itself', async () => {
      const paid = await createPaidOrder(stack);
      await asOperator(stack, 'GET', `/admin/orders/${paid.orderId}`);
      const rows: unknown[] = await stack.database.em.fork().execute('select * from operator_audit_log where order_id = ?', [paid.orderId]);
      expect(JSON.stringify(rows)).not.toContain(TEST_OPERATOR_KEY);
      expect(refundRequestedBy(await requestRefund(stack, paid.orderId, { amount: 1 }))).toBe(operatorKeyId(TEST_OPERATOR_KEY));
    });
  });
});

describe('the traveler status of an order without refunds', () => {
  it('has no refund object: the answer is unchanged for existing clients', async () => {
    const paid = await createPaidOrder(stack);
    const status = await pollStatus(stack, paid.traveler, paid.orderId);
    expect(Object.keys(status.body).sort()).toEqual(['lock_expire_at', 'status']);
  });
});

function refundRequestedBy(answer: { body: { requested_by?: string } }): string | undefined {
  return answer.body.requested_by;
}
