import type { EntityManager } from '@mikro-orm/postgresql';
import { Order, type OrderStatus } from '../persistence/entities/order';
import { PaymentStatusHistory, type HistorySource } from '../persistence/entities/payment-status-history';

/** The only moves an order's status can make: out of `pending`, never back, terminal states absorb. */
const ALLOWED: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ['paid', 'failed', 'cancelled'],
  paid: [],
  failed: [],
  cancelled: [],
};

export interface PaymentEvent {
  event: string;
  source: HistorySource;
  now: Date;
  notificationId?: string;
  detail?: Record<string, unknown>;
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ALLOWED[from].includes(to);
}

/** Appends one row to the audit history: every state change and payment event of an order goes through here. */
export function appendHistory(em: EntityManager, orderId: string, from: OrderStatus | undefined, to: OrderStatus, event: PaymentEvent): void {
  em.persist(
    Object.assign(new PaymentStatusHistory(), {
      orderId,
      event: event.event,
      fromStatus: from,
      toStatus: to,
      source: event.source,
      notificationId: event.notificationId,
      detail: event.detail,
      createdAt: event.now,
    }),
  );
}

/** Appends to the audit history without changing the status (a session, a duplicate, a mismatch…). */
export function recordPaymentEvent(em: EntityManager, order: Order, event: PaymentEvent): void {
  appendHistory(em, order.id, order.status, order.status, event);
}

/**
 * The one state-transition function every writer of payment state calls (webhook, reconciliation, expiry).
 * Compare-and-set on the stored status, so a concurrent writer that got there first makes this a no-op
 * (`false`); on success the history row is written in the same transaction.
 */
export async function transitionOrderStatus(
  em: EntityManager,
  order: Order,
  to: OrderStatus,
  event: PaymentEvent,
  changes: Partial<Pick<Order, 'paymentStatus' | 'paidAt' | 'wechatTransactionId' | 'paidAfterCancel'>> = {},
): Promise<boolean> {
  const from = order.status;
  if (!canTransition(from, to)) return false;
  const updated = await em.nativeUpdate(Order, { id: order.id, status: from }, { status: to, updatedAt: event.now, ...changes });
  if (updated !== 1) return false;
  await em.refresh(order);
  appendHistory(em, order.id, from, to, event);
  return true;
}

/**
 * Money arrived for an order that can no longer be delivered: its status stays (terminal states never
 * move) and it is flagged for a refund, through the same compare-and-set on the stored status.
 */
export async function flagPaidAfterCancel(
  em: EntityManager,
  order: Order,
  event: PaymentEvent,
  payment: Pick<Order, 'paymentStatus' | 'paidAt' | 'wechatTransactionId'>,
): Promise<boolean> {
  const updated = await em.nativeUpdate(Order, { id: order.id, status: order.status, paidAfterCancel: false }, { ...payment, paidAfterCancel: true, updatedAt: event.now });
  if (updated !== 1) return false;
  await em.refresh(order);
  recordPaymentEvent(em, order, event);
  return true;
}
