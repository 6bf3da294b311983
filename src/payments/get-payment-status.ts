import type { components } from '../../generated/api';
import type { Traveler } from '../auth/traveler-tokens';
import { orderNotFound } from '../errors/app-error';
import { isUuid } from '../orders/is-uuid';
import { statusAsRead } from '../orders/order-status-rules';
import type { OrdersRepository } from '../orders/orders-repository';

export type PaymentStatus = components['schemas']['PaymentStatus'];

/**
 * Reads the database only: WeChat's notification, the reconciler and the expiry job write the payment state; polling
 * never calls WeChat. A poll for a pending order with a transaction nudges the reconciler (debounced per order):
 * WeChat's "query when the front end returns".
 */
export async function getPaymentStatus(
  orders: OrdersRepository,
  traveler: Traveler,
  orderId: string,
  nudgeReconciler: (orderId: string) => void = () => {},
): Promise<PaymentStatus> {
  if (!isUuid(orderId)) throw orderNotFound();
  const order = await orders.findOwnedStatus(orderId, traveler.userId);
  if (!order) throw orderNotFound();
  if (order.status === 'pending' && order.outTradeNo) nudgeReconciler(orderId);
  const status: PaymentStatus = { status: statusAsRead(order), lock_expire_at: order.lockExpireAt.toISOString() };
  // Additive: `refund` appears once money is being given back; the status enum never changes for it.
  if (order.refundAmount > 0) status.refund = { status: order.refundedAmount === order.refundAmount ? 'refunded' : 'processing', amount: order.refundAmount };
  return status;
}
