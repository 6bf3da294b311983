import { randomUUID } from 'node:crypto';
import type { components } from '../../../generated/api';
import { Order } from '../../../src/persistence/entities/order';
import { Refund } from '../../../src/persistence/entities/refund';
import { call, type HttpAnswer } from './http-client';
import { TEST_OPERATOR_KEY, type TestStack } from './test-stack';
import { createPendingOrder, loginAs, payInSandbox, requestSession, type LoggedInTraveler, type PaymentSession } from './travelers';

export type RefundDto = components['schemas']['Refund'];
type OrProblem<T> = T & Partial<Omit<components['schemas']['Problem'], 'status'>>;

export interface PaidOrder {
  traveler: LoggedInTraveler;
  orderId: string;
  amount: number;
}

/** Polls until `check` holds (WeChat's notifications are asynchronous); returns the last value read. */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    value = await read();
  }
  return value;
}

export function readOrder(stack: TestStack, orderId: string): Promise<Order> {
  return stack.database.em.fork().findOneOrFail(Order, { id: orderId });
}

export function readRefunds(stack: TestStack, orderId: string): Promise<Refund[]> {
  return stack.database.em.fork().find(Refund, { orderId }, { orderBy: { createdAt: 'asc' } });
}

/** A traveler's order paid the way a mini program pays it: session, wx.requestPayment in the sandbox, notification. */
export async function createPaidOrder(stack: TestStack, amount = 8800): Promise<PaidOrder> {
  const traveler = await loginAs(stack);
  const order = await createPendingOrder(stack, traveler, { amount, description: 'G7311 seat 05A' });
  const session = await requestSession(stack, traveler, order.order_id);
  if (session.status !== 200) throw new Error(`session failed: ${session.status} ${session.text}`);
  const paid = await payInSandbox(stack, session.body as PaymentSession);
  if (paid.status !== 200) throw new Error(`payment failed: ${paid.text}`);
  const stored = await eventually(
    () => readOrder(stack, order.order_id),
    (row) => row.status === 'paid',
  );
  if (stored.status !== 'paid') throw new Error(`order ${order.order_id} never turned paid`);
  return { traveler, orderId: order.order_id, amount };
}

/** An operator's call: the test operator key unless `key` says otherwise (`null`: no Authorization at all). */
export function asOperator<T = Record<string, unknown>>(
  stack: TestStack,
  method: string,
  path: string,
  options: { body?: unknown; key?: string | null; headers?: Record<string, string>; baseUrl?: string } = {},
): Promise<HttpAnswer<OrProblem<T>>> {
  const key = options.key === undefined ? TEST_OPERATOR_KEY : options.key;
  return call<OrProblem<T>>(options.baseUrl ?? stack.api.url, method, path, { token: key ?? undefined, body: options.body, headers: options.headers });
}

export function requestRefund(
  stack: TestStack,
  orderId: string,
  body: { amount: number; reason?: string },
  idempotencyKey: string = randomUUID(),
  baseUrl?: string,
) {
  return asOperator<RefundDto>(stack, 'POST', `/admin/orders/${orderId}/refunds`, { body, headers: { 'Idempotency-Key': idempotencyKey }, baseUrl });
}

export async function readRefundDto(stack: TestStack, refundId: string): Promise<RefundDto> {
  return (await asOperator<RefundDto>(stack, 'GET', `/admin/refunds/${refundId}`)).body;
}

export function waitForRefundStatus(stack: TestStack, refundId: string, status: string, timeoutMs = 5000): Promise<RefundDto> {
  return eventually(
    () => readRefundDto(stack, refundId),
    (refund) => refund.status === status,
    timeoutMs,
  );
}

/** What the sandbox holds for an out_refund_no: its refund object, the exact bodies received, its armed outcome. */
export async function sandboxRefund(stack: TestStack, outRefundNo: string) {
  return call<{ refund: Record<string, unknown>; bodies: string[]; outcome: string }>(stack.sandbox.url, 'GET', `/sandbox/refunds/${outRefundNo}`);
}
