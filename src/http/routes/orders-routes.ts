import { Router } from 'express';
import type { CreateOrderRequest } from '../../orders/create-order';
import type { OrdersService } from '../../orders/orders-service';
import { currentTraveler } from '../authenticate';
import { byTraveler, limitRequests } from '../limit-requests';
import type { RequestLimiter } from '../../rate-limits/request-limiter';

export function ordersRoutes(orders: OrdersService, creationLimiter: RequestLimiter): Router {
  const router = Router();
  router.post('/orders', limitRequests(creationLimiter, byTraveler), async (req, res) => {
    const result = await orders.createOrder(currentTraveler(req), req.header('Idempotency-Key') as string, req.body as CreateOrderRequest);
    if (result.replayed) res.set('Idempotent-Replayed', 'true');
    res.status(201).json(result.order);
  });
  return router;
}
