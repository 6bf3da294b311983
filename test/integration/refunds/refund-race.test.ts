import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createPaidOrder, readOrder, readRefunds, requestRefund } from '../helpers/refunds';
import { startTestStack, type TestStack } from '../helpers/test-stack';
import { createPendingOrder, loginAs, sandboxCalls } from '../helpers/travelers';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ instances: 2, refundProcessingMs: 60_000 });
});
afterAll(async () => {
  await stack.stop();
});

describe('20 parallel partial refunds of one order', () => {
  describe('given 20 refunds of 1000 fen against 8800 paid, sent to two instances at once', () => {
    it('accepts exactly 8, refuses 12 with REFUND_EXCEEDS_PAID, and never refunds more than was paid', async () => {
      const paid = await createPaidOrder(stack, 8800);
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => requestRefund(stack, paid.orderId, { amount: 1000 }, randomUUID(), stack.apis[i % 2]?.url)),
      );
      expect(answers.filter((a) => a.status === 201)).toHaveLength(8);
      expect(answers.filter((a) => a.status === 409).map((a) => a.body.code)).toEqual(Array(12).fill('REFUND_EXCEEDS_PAID'));
      const refunds = await readRefunds(stack, paid.orderId);
      expect(refunds.reduce((sum, refund) => sum + refund.amount, 0)).toBe(8000);
      expect((await readOrder(stack, paid.orderId)).refundAmount).toBe(8000);
    });

    it('creates each accepted refund once at WeChat', async () => {
      const paid = await createPaidOrder(stack, 3000);
      const before = (await sandboxCalls(stack, '/v3/refund/domestic/refunds')).length;
      await Promise.all(Array.from({ length: 20 }, (_, i) => requestRefund(stack, paid.orderId, { amount: 1000 }, randomUUID(), stack.apis[i % 2]?.url)));
      expect((await sandboxCalls(stack, '/v3/refund/domestic/refunds')).length - before).toBe(3);
    });
  });

  describe('given 20 parallel requests with the same Idempotency-Key', () => {
    it('creates one refund and answers all twenty with it', async () => {
      const paid = await createPaidOrder(stack, 8800);
      const key = randomUUID();
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => requestRefund(stack, paid.orderId, { amount: 1000 }, key, stack.apis[i % 2]?.url)),
      );
      const accepted = answers.filter((a) => a.status === 201);
      expect(new Set(accepted.map((a) => a.body.refund_id)).size).toBe(1);
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
      expect(await readRefunds(stack, paid.orderId)).toHaveLength(1);
    });
  });
});

describe('the database enforces the refund rules by itself', () => {
  /** Plain SQL on separate connections, bypassing every check and lock of the application. */
  async function insertRefundsDirectly(orderId: string, amounts: number[]): Promise<PromiseSettledResult<unknown>[]> {
    const clients = amounts.map(() => new Client({ connectionString: process.env.DATABASE_URL }));
    await Promise.all(clients.map((client) => client.connect()));
    try {
      return await Promise.allSettled(
        amounts.map((amount, i) =>
          (clients[i] as Client).query(
            `insert into refunds (id, order_id, out_refund_no, amount, status, request_body, idempotency_key, request_hash, requested_by, created_at, updated_at)
             values ($1, $2, $3, $4, 'PENDING', '{}', $5, 'x', 'sql', now(), now())`,
            [randomUUID(), orderId, randomUUID().replace(/-/g, ''), amount, randomUUID()],
          ),
        ),
      );
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
  }

  describe('given 20 concurrent inserts of 1000 fen for an order that paid 8800', () => {
    it('commits 8 and refuses the rest on orders_refunds_within_amount', async () => {
      const paid = await createPaidOrder(stack, 8800);
      const results = await insertRefundsDirectly(paid.orderId, Array(20).fill(1000));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(8);
      const reasons = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { constraint?: string }).constraint] : []));
      expect(reasons).toEqual(Array(12).fill('orders_refunds_within_amount'));
      expect((await readOrder(stack, paid.orderId)).refundAmount).toBe(8000);
    });
  });

  describe('given an insert for an order that is not paid', () => {
    it('refuses it on refunds_order_refundable', async () => {
      const traveler = await loginAs(stack);
      const order = await createPendingOrder(stack, traveler);
      const [result] = await insertRefundsDirectly(order.order_id, [100]);
      expect(result?.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toMatchObject({ constraint: 'refunds_order_refundable' });
    });
  });
});
