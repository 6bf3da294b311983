import { Router } from 'express';
import { createOrder, type CreateOrderRequest } from '../../orders/create-order';
import type { AppDeps } from '../app-deps';
import { currentTraveler } from '../authenticate';

export function ordersRouter(deps: AppDeps): Router {
  const router = Router();
  router.post('/orders', async (req, res) => {
    const traveler = currentTraveler(req);
    const key = req.header('Idempotency-Key') as string;
    const result = await createOrder({ em: deps.orm.em, now: deps.clock(), seatLockMinutes: deps.config.seatLockMinutes }, traveler, key, req.body as CreateOrderRequest);
    if (result.replayed) res.set('Idempotent-Replayed', 'true');
    else deps.metrics.ordersCreated.inc();
    res.status(201).json(result.order);
  });
  return router;
}
