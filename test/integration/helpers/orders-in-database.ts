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
  await stack.database.em.fork().nativeUpdate(Order, { id: orderId }, fields);
}
