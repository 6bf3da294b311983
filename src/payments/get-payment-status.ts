import type { EntityManager } from '@mikro-orm/postgresql';
import type { components } from '../../generated/api';
import type { Traveler } from '../auth/traveler-tokens';
import { orderNotFound } from '../errors/app-error';
import { isUuid } from '../orders/is-uuid';
import { Order, type OrderStatus } from '../persistence/entities/order';

export type PaymentStatus = components['schemas']['PaymentStatus'];

/** A pending order whose seat lock has run out can no longer be paid: it reads as cancelled. */
export function effectiveStatus(order: Pick<Order, 'status' | 'lockExpireAt'>, now: Date): OrderStatus {
  return order.status === 'pending' && order.lockExpireAt.getTime() <= now.getTime() ? 'cancelled' : order.status;
}

/** Reads the database only: the webhook writes the payment state, polling never calls WeChat. */
export async function getPaymentStatus(em: EntityManager, traveler: Traveler, orderId: string, now: Date): Promise<PaymentStatus> {
  if (!isUuid(orderId)) throw orderNotFound();
  const order = await em.fork().findOne(Order, { id: orderId, userId: traveler.userId }, { fields: ['status', 'lockExpireAt'] });
  if (!order) throw orderNotFound();
  return { status: effectiveStatus(order, now), lock_expire_at: order.lockExpireAt.toISOString() };
}
