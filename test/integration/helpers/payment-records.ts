import { Order } from '../../../src/persistence/entities/order';
import { PaymentStatusHistory } from '../../../src/persistence/entities/payment-status-history';
import type { TestStack } from './test-stack';

/** What our own database holds about a payment: the order row, its history, the notifications received. */

/** What WeChat Pay knows about an order once a session exists: read back from our own `orders` row. */
export interface StoredTransaction {
  orderId: string;
  outTradeNo: string;
  payerOpenid: string;
  amount: number;
  lockExpireAt: Date;
}

export async function readStoredTransaction(stack: TestStack, orderId: string): Promise<StoredTransaction> {
  const order = await stack.database.em.fork().findOneOrFail(Order, { id: orderId });
  if (!order.outTradeNo || !order.payerOpenid) throw new Error(`order ${orderId} has no payment session yet`);
  return { orderId, outTradeNo: order.outTradeNo, payerOpenid: order.payerOpenid, amount: order.amount, lockExpireAt: order.lockExpireAt };
}

export interface PaymentRecords {
  order: Order;
  history: PaymentStatusHistory[];
  /** Rows of `payment_notifications` about this order's out_trade_no. */
  notifications: { id: string; event_type: string; outcome: string }[];
}

export async function readPaymentRecords(stack: TestStack, stored: Pick<StoredTransaction, 'orderId' | 'outTradeNo'>): Promise<PaymentRecords> {
  const em = stack.database.em.fork();
  const order = await em.findOneOrFail(Order, { id: stored.orderId });
  const history = await em.find(PaymentStatusHistory, { orderId: stored.orderId }, { orderBy: { id: 'asc' } });
  const notifications: PaymentRecords['notifications'] = await em.execute(
    'select id, event_type, outcome from payment_notifications where out_trade_no = ? order by received_at, id',
    [stored.outTradeNo],
  );
  return { order, history, notifications };
}

/** History rows the webhook wrote (sessions write theirs with source `api`). */
export const webhookRows = (records: PaymentRecords) => records.history.filter((row) => row.source === 'webhook');

/** Rows that moved an existing order to another status, oldest first (`order_created` has no from). */
export const statusChanges = (records: PaymentRecords) => records.history.filter((row) => row.fromStatus && row.fromStatus !== row.toStatus);

export const eventsNamed = (records: PaymentRecords, event: string) => records.history.filter((row) => row.event === event);

/** Waits until the order row satisfies `done` (notifications are asynchronous); returns the last records read. */
export async function waitForRecords(
  stack: TestStack,
  stored: StoredTransaction,
  done: (records: PaymentRecords) => boolean,
  timeoutMs = 2000,
): Promise<PaymentRecords> {
  const deadline = Date.now() + timeoutMs;
  let records = await readPaymentRecords(stack, stored);
  while (!done(records) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    records = await readPaymentRecords(stack, stored);
  }
  return records;
}

/**
 * A real database failure for one webhook transaction: a trigger makes the first `payment_succeeded` history
 * insert of this order raise, after the claim and the status update ran in the same transaction. The counter is a
 * sequence because `nextval` survives the rollback the exception causes. Returns the cleanup.
 */
export function failFirstPaymentSucceededInsert(stack: TestStack, orderId: string): Promise<() => Promise<void>> {
  return failPaymentSucceededInserts(stack, orderId, 'first');
}

/** Every `payment_succeeded` insert for the order fails: a notification of it can never be applied. */
export function failEveryPaymentSucceededInsert(stack: TestStack, orderId: string): Promise<() => Promise<void>> {
  return failPaymentSucceededInserts(stack, orderId, 'every');
}

async function failPaymentSucceededInserts(stack: TestStack, orderId: string, which: 'first' | 'every'): Promise<() => Promise<void>> {
  if (!/^[0-9a-f-]{36}$/.test(orderId)) throw new Error(`not a uuid: ${orderId}`);
  const name = `webhook_fault_${orderId.replace(/-/g, '')}`;
  const connection = stack.database.em.getConnection();
  await connection.execute(`create sequence "${name}"`);
  await connection.execute(`create function "${name}"() returns trigger language plpgsql as $$
    begin
      if new.order_id = '${orderId}'::uuid and new.event = 'payment_succeeded' and (nextval('"${name}"') = 1 or ${which === 'every'}) then
        raise exception 'injected fault: ${which} payment_succeeded row of order ${orderId}';
      end if;
      return new;
    end $$`);
  await connection.execute(`create trigger "${name}" before insert on payment_status_history for each row execute function "${name}"()`);
  return async () => {
    await connection.execute(`drop trigger if exists "${name}" on payment_status_history`);
    await connection.execute(`drop function if exists "${name}"()`);
    await connection.execute(`drop sequence if exists "${name}"`);
  };
}
