import { orderAlreadyPaid, orderCancelled, orderExpired, orderFailed } from '../errors/app-error';
import type { Order } from '../persistence/entities/order';

/**
 * WeChat Pay raises any `time_expire` to at least one minute after the order call, so a seat lock that
 * ends sooner than this could be paid after it expired.
 */
export const SEAT_LOCK_SAFETY_MARGIN_MS = 2 * 60_000;

/** Only a pending order with a seat lock still valid (with margin) gets a payment session. */
export function assertOrderCanBePaid(order: Order, now: Date): void {
  if (order.status === 'paid') throw orderAlreadyPaid();
  if (order.status === 'cancelled') throw orderCancelled();
  if (order.status === 'failed') throw orderFailed();
  if (order.amount <= 0) throw orderFailed();
  if (order.lockExpireAt.getTime() - now.getTime() < SEAT_LOCK_SAFETY_MARGIN_MS) throw orderExpired();
}
