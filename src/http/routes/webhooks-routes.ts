import express, { Router, type RequestHandler } from 'express';
import type { PaymentsService } from '../../payments/payments-service';
import type { RefundsService } from '../../refunds/refunds-service';
import { NOTIFICATION_BODY_LIMIT, UNREADABLE_BODY } from '../read-notification-body';

/**
 * WeChat Pay's notification. Mounted before the JSON body parser and outside the contract validator:
 * the signature covers the raw bytes, and a re-serialised body would never verify. No bearer auth.
 * Usually answered ahead of Express by ../notification-route.ts, with the same limit and answers; these
 * routes answer what it leaves to Express (a query string, a compressed body).
 */
export function webhooksRoutes(payments: PaymentsService, refunds: RefundsService): Router {
  const router = Router();
  const readRawBody = express.raw({ type: () => true, limit: NOTIFICATION_BODY_LIMIT });
  // An unreadable body (too large, cut off) is refused in WeChat's answer shape, never as a 5xx.
  const rawBodyOrRefuse: RequestHandler = (req, res, next) =>
    readRawBody(req, res, (err?: unknown) => {
      if (!err) return next();
      const status = (err as { status?: number }).status ?? 400;
      req.log.warn({ err }, 'WeChat Pay notification body unreadable');
      res.status(status < 500 ? status : 400).json(UNREADABLE_BODY);
    });
  router.post('/payments/wechat/notify', rawBodyOrRefuse, async (req, res) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const answer = await payments.handleNotification(req.headers, rawBody, req.log);
    if (answer.status === 204) res.status(204).end();
    else res.status(answer.status).json(answer.body);
  });
  // The `notify_url` of every refund request: REFUND.SUCCESS / ABNORMAL / CLOSED, verified the same way.
  router.post('/refunds/wechat/notify', rawBodyOrRefuse, async (req, res) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const answer = await refunds.handleNotification(req.headers, rawBody, req.log);
    if (answer.status === 204) res.status(204).end();
    else res.status(answer.status).json(answer.body);
  });
  return router;
}
