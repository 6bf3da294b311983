import type { Traveler } from '../auth/traveler-tokens';
import type { Metrics } from '../observability/metrics';
import { createOrder, type CreateOrderDeps, type CreateOrderRequest, type CreateOrderResult } from './create-order';

export interface OrdersService {
  createOrder(traveler: Traveler, idempotencyKey: string, request: CreateOrderRequest): Promise<CreateOrderResult>;
}

export function createOrdersService(deps: CreateOrderDeps & { metrics: Pick<Metrics, 'ordersCreated'> }): OrdersService {
  return {
    async createOrder(traveler, idempotencyKey, request) {
      const result = await createOrder(deps, traveler, idempotencyKey, request);
      if (!result.replayed) deps.metrics.ordersCreated.inc();
      return result;
    },
  };
}
