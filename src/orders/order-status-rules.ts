import { orderAlreadyPaid, orderCancelled, orderExpired, orderFailed } from '../errors/app-error';
import type { Order, OrderStatus } from '../persistence/entities/order';

/**
 * Every rule about an order's status, in one place and free of I/O: which moves are allowed, what a stored
 * status reads as at a given instant, and which orders may be paid.
 */

/** The only moves an order's status can make: out of `pending`, never back; terminal states absorb. */
const ALLOWED: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ['paid', 'failed', 'cancelled'],
  paid: [],
  failed: [],
  cancelled: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ALLOWED[from].includes(to);
}

/**
 * What a poll shows: the stored status, nothing derived from the clock. A lapsed order stays `pending` (with its
 * past lock_expire_at) until the expiry job has asked WeChat and closed the transaction: WeChat may still say it
 * was paid in time, and a status shown as cancelled must never turn paid.
 */
export function statusAsRead(order: Pick<Order, 'status' | 'lockExpireAt'>): OrderStatus {
  return order.status;
}

/** The seat lock has run out: the expiry job closes the transaction (after one last query) and cancels the order. */
export function isLapsed(order: Pick<Order, 'status' | 'lockExpireAt'>, now: Date): boolean {
  return order.status === 'pending' && order.lockExpireAt.getTime() <= now.getTime();
}

/**
 * WeChat Pay raises any `time_expire` to at least one minute after the order call, so a seat lock that
 * ends sooner than this could be paid after it expired.
 */
export const SEAT_LOCK_SAFETY_MARGIN_MS = 2 * 60_000;

/** Only a pending order with a seat lock still valid (with margin) gets a payment session. */
export function assertOrderCanBePaid(order: Pick<Order, 'status' | 'amount' | 'lockExpireAt'>, now: Date): void {
  if (order.status === 'paid') throw orderAlreadyPaid();
  if (order.status === 'cancelled') throw orderCancelled();
  if (order.status === 'failed') throw orderFailed();
  if (order.amount <= 0) throw orderFailed();
  if (order.lockExpireAt.getTime() - now.getTime() < SEAT_LOCK_SAFETY_MARGIN_MS) throw orderExpired();
}

/**
 * A payment counts as made in time when the order is still pending and WeChat's `success_time` is within the seat
 * lock, whenever its notification or our query brings the news. Once an order is cancelled it never turns paid:
 * money arriving then is flagged for a refund.
 */
export function isPaidInTime(order: Pick<Order, 'status' | 'lockExpireAt'>, paidAt: Date): boolean {
  return order.status === 'pending' && paidAt.getTime() <= order.lockExpireAt.getTime();
}
