import { Order } from '../../../src/persistence/entities/order';
import { PaymentStatusHistory } from '../../../src/persistence/entities/payment-status-history';
import type { TestStack } from './test-stack';

export function findOrder(stack: TestStack, orderId: string): Promise<Order> {
  return stack.database.em.fork().findOneOrFail(Order, { id: orderId });
}

export function historyOf(stack: TestStack, orderId: string): Promise<PaymentStatusHistory[]> {
  return stack.database.em.fork().find(PaymentStatusHistory, { orderId }, { orderBy: { id: 'asc' } });
}

/** For states no endpoint writes yet (an expiry job would): set them as that writer would. */
export async function setOrderFields(stack: TestStack, orderId: string, fields: Partial<Order>): Promise<void> {
  // Another writer's change reaches the instances' status caches by NOTIFY: wait until each has heard it.
  const heard = stack.apis.map((api) => api.orderChangeHeard(orderId));
  await stack.database.em.fork().nativeUpdate(Order, { id: orderId }, fields);
  await Promise.all(heard);
}
