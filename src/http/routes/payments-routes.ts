import { Router } from 'express';
import type { operations } from '../../../generated/api';
import type { PaymentsService } from '../../payments/payments-service';
import { currentTraveler } from '../authenticate';

type CreateSessionBody = operations['createPaymentSession']['requestBody']['content']['application/json'];

export function paymentsRoutes(payments: PaymentsService): Router {
  const router = Router();
  router.post('/payments/session', async (req, res) => {
    res.json(await payments.createSession(currentTraveler(req), req.body as CreateSessionBody, req.log));
  });
  router.get('/payments/:orderId/status', async (req, res) => {
    res.json(await payments.getStatus(currentTraveler(req), req.params.orderId as string));
  });
  return router;
}
