import { OrdersRepository, type OrderEvent } from '../../src/orders/orders-repository';
import { createDatabaseTransactions, type DatabaseTransactions } from '../../src/persistence/database-transactions';
import { createOrderAwaitingPayment } from './helpers/notifications';
import { findOrder, historyOf, setOrderFields } from './helpers/orders-in-database';
import { startTestStack, type TestStack } from './helpers/test-stack';

/** The orders repository's held-back writes: what a group of notifications writes in one statement. */
describe('OrdersRepository.collectWrites, against PostgreSQL', () => {
  let stack: TestStack;
  let orders: OrdersRepository;
  let transactions: DatabaseTransactions;
  beforeAll(async () => {
    stack = await startTestStack();
    orders = new OrdersRepository(stack.database.em);
    transactions = createDatabaseTransactions(stack.database.em);
  });
  afterAll(() => stack.stop());

  const event = (name: string): OrderEvent => ({ event: name, source: 'webhook', now: stack.clock.now(), detail: { note: name } });
  const pendingOrderIds = async (count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) ids.push((await createOrderAwaitingPayment(stack)).stored.orderId);
    return ids;
  };

  describe('given two pending orders locked in one transaction', () => {
    it('writes both moves and their history rows, in the order they were made, with a held-back event between them', async () => {
      const [first, second] = (await pendingOrderIds(2)) as [string, string];

      await transactions.runStatements(async (tx) => {
        const locked = [await orders.lockById(tx, first), await orders.lockById(tx, second)];
        await orders.collectWrites(tx, async (collecting) => {
          await orders.transition(collecting, locked[0]!, 'paid', event('first_paid'), { tradeState: 'SUCCESS', wechatTransactionId: 'T-1' });
          await orders.recordEvent(collecting, locked[0]!, event('first_noted'));
          await orders.transition(collecting, locked[1]!, 'cancelled', event('second_cancelled'));
        });
      });

      expect(await findOrder(stack, first)).toMatchObject({ status: 'paid', tradeState: 'SUCCESS', wechatTransactionId: 'T-1' });
      expect((await findOrder(stack, second)).status).toBe('cancelled');
      const rows = [...(await historyOf(stack, first)), ...(await historyOf(stack, second))].filter((row) => row.source === 'webhook');
      rows.sort((a, b) => Number(a.id) - Number(b.id));
      expect(rows.map((row) => [row.event, row.fromStatus, row.toStatus, row.detail])).toEqual([
        ['first_paid', 'pending', 'paid', { note: 'first_paid' }],
        ['first_noted', 'paid', 'paid', { note: 'first_noted' }],
        ['second_cancelled', 'pending', 'cancelled', { note: 'second_cancelled' }],
      ]);
    });
  });

  describe('given a held-back move, then a statement of another kind on the same order', () => {
    it('writes the move first, so the statement sees it', async () => {
      const [orderId] = (await pendingOrderIds(1)) as [string];

      const flagged = await transactions.runStatements(async (tx) => {
        const order = (await orders.lockById(tx, orderId))!;
        return orders.collectWrites(tx, async (collecting) => {
          await orders.transition(collecting, order, 'cancelled', event('seat_lock_expired'));
          const payment = { tradeState: 'SUCCESS', wechatTransactionId: 'T-2', paidAt: stack.clock.now() };
          return orders.flagPaidAfterCancel(collecting, order, event('paid_after_cancel'), payment);
        });
      });

      expect(flagged).toBe(true);
      expect(await findOrder(stack, orderId)).toMatchObject({ status: 'cancelled', paidAfterCancel: true, wechatTransactionId: 'T-2' });
      const events = (await historyOf(stack, orderId)).filter((row) => row.source === 'webhook').map((row) => row.event);
      expect(events).toEqual(['seat_lock_expired', 'paid_after_cancel']);
    });
  });

  describe('given an order whose stored status changed after it was read, without a lock', () => {
    it('fails the transaction and leaves nothing of it', async () => {
      const [orderId] = (await pendingOrderIds(1)) as [string];
      const stale = await transactions.runStatements(async (tx) => (await orders.lockById(tx, orderId))!);
      await setOrderFields(stack, orderId, { status: 'cancelled' });
      const historyBefore = await historyOf(stack, orderId);

      const moving = transactions.runStatements((tx) =>
        orders.collectWrites(tx, async (collecting) => {
          await orders.recordEvent(collecting, stale, event('noted'));
          await orders.transition(collecting, stale, 'paid', event('paid'));
        }),
      );

      await expect(moving).rejects.toThrow('held-back status moves did not all apply (0 of 1)');
      expect((await findOrder(stack, orderId)).status).toBe('cancelled');
      expect(await historyOf(stack, orderId)).toHaveLength(historyBefore.length);
    });
  });
});
