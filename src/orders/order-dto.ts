import type { components } from '../../generated/api';
import type { Order } from '../persistence/entities/order';

export type OrderDto = components['schemas']['Order'];

export function toOrderDto(order: Order): OrderDto {
  return {
    order_id: order.id,
    amount: order.amount,
    description: order.description,
    status: order.status,
    lock_expire_at: order.lockExpireAt.toISOString(),
  };
}
