import { Router } from 'express';
import type { operations } from '../../../generated/api';
import type { PaymentsService } from '../../payments/payments-service';
import { currentTraveler } from '../authenticate';
import { byTraveler, limitRequests } from '../limit-requests';
import type { RequestLimiter } from '../../rate-limits/request-limiter';

type CreateSessionBody = operations['createPaymentSession']['requestBody']['content']['application/json'];

export function paymentsRoutes(payments: PaymentsService, sessionLimiter: RequestLimiter): Router {
  const router = Router();
  router.post('/payments/session', limitRequests(sessionLimiter, byTraveler), async (req, res) => {
    res.json(await payments.createSession(currentTraveler(req), req.body as CreateSessionBody, req.log));
  });
  router.get('/payments/:orderId/status', async (req, res) => {
    res.json(await payments.getStatus(currentTraveler(req), req.params.orderId as string));
  });
  return router;
}
