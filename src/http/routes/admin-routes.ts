import { Router } from 'express';
import type { operations } from '../../../generated/api';
import type { AdminService } from '../../admin/admin-service';
import { operatorContext } from '../authenticate-operator';

type CreateRefundBody = operations['createRefund']['requestBody']['content']['application/json'];

/** The operator API; authenticated by `authenticateOperator` before the contract validator runs. */
export function adminRoutes(admin: AdminService): Router {
  const router = Router();
  router.get('/admin/orders/:orderId', async (req, res) => {
    res.json(await admin.getOrder(operatorContext(req), req.params.orderId as string));
  });
  router.post('/admin/orders/:orderId/refunds', async (req, res) => {
    const body = req.body as CreateRefundBody;
    const result = await admin.createRefund(operatorContext(req), req.params.orderId as string, req.header('Idempotency-Key') as string, body);
    if (result.replayed) res.set('Idempotent-Replayed', 'true');
    // The first answer as stored: every replay is the same bytes.
    res.status(201).type('application/json').send(result.answer);
  });
  router.get('/admin/refunds/:refundId', async (req, res) => {
    res.json(await admin.getRefund(operatorContext(req), req.params.refundId as string));
  });
  return router;
}
