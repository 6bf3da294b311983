import type { components } from '../../generated/api';
import type { Traveler } from '../auth/traveler-tokens';
import { orderNotFound } from '../errors/app-error';
import { isUuid } from '../orders/is-uuid';
import { statusAsRead } from '../orders/order-status-rules';
import type { OrdersRepository } from '../orders/orders-repository';

export type PaymentStatus = components['schemas']['PaymentStatus'];

/** Reads the database only: WeChat's notification writes the payment state, polling never calls WeChat. */
export async function getPaymentStatus(orders: OrdersRepository, traveler: Traveler, orderId: string, now: Date): Promise<PaymentStatus> {
  if (!isUuid(orderId)) throw orderNotFound();
  const order = await orders.findOwnedStatus(orderId, traveler.userId);
  if (!order) throw orderNotFound();
  const status: PaymentStatus = { status: statusAsRead(order, now), lock_expire_at: order.lockExpireAt.toISOString() };
  // Additive: `refund` appears once money is being given back; the status enum never changes for it.
  if (order.refundAmount > 0) status.refund = { status: order.refundedAmount === order.refundAmount ? 'refunded' : 'processing', amount: order.refundAmount };
  return status;
}
