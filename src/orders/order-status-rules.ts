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

/** A pending order whose seat lock has run out can no longer be paid: it reads as cancelled. */
export function statusAsRead(order: Pick<Order, 'status' | 'lockExpireAt'>, now: Date): OrderStatus {
  return order.status === 'pending' && order.lockExpireAt.getTime() <= now.getTime() ? 'cancelled' : order.status;
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
 * A payment counts as made in time when the order still reads pending and WeChat's `success_time` is within the
 * seat lock. Once an order reads cancelled it never turns paid: money arriving then is flagged for a refund.
 */
export function isPaidInTime(order: Pick<Order, 'status' | 'lockExpireAt'>, paidAt: Date, now: Date): boolean {
  return statusAsRead(order, now) === 'pending' && paidAt.getTime() <= order.lockExpireAt.getTime();
}
