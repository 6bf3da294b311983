import { Order } from '../../../src/persistence/entities/order';
import { PaymentStatusHistory } from '../../../src/persistence/entities/payment-status-history';
import type { TestStack } from './test-stack';

export function findOrder(stack: TestStack, orderId: string): Promise<Order> {
  return stack.api.deps.orm.em.fork().findOneOrFail(Order, { id: orderId });
}

export function historyOf(stack: TestStack, orderId: string): Promise<PaymentStatusHistory[]> {
  return stack.api.deps.orm.em.fork().find(PaymentStatusHistory, { orderId }, { orderBy: { id: 'asc' } });
}

/** For states no endpoint writes yet (an expiry job would): set them as that writer would. */
export async function setOrderFields(stack: TestStack, orderId: string, fields: Partial<Order>): Promise<void> {
  await stack.api.deps.orm.em.fork().nativeUpdate(Order, { id: orderId }, fields);
}

export async function metricValue(stack: TestStack, name: string, labels: Record<string, string> = {}, apiIndex = 0): Promise<number> {
  const metric = await (stack.apis[apiIndex] ?? stack.api).deps.metrics.registry.getSingleMetric(name)?.get();
  const match = metric?.values.find((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value));
  return match?.value ?? 0;
}
