import { Router } from 'express';
import type { operations } from '../../../generated/api';
import { createPaymentSession } from '../../payments/create-payment-session';
import { PerOrderQueue } from '../../payments/per-order-queue';
import { worstCaseCallMs } from '../../wechatpay/retry-wechatpay-call';
import { getPaymentStatus } from '../../payments/get-payment-status';
import type { StatusPollLimiter } from '../../payments/status-poll-limiter';
import type { AppDeps } from '../app-deps';
import { currentTraveler } from '../authenticate';

type CreateSessionBody = operations['createPaymentSession']['requestBody']['content']['application/json'];

export function paymentsRouter(deps: AppDeps, pollLimiter: StatusPollLimiter): Router {
  const router = Router();
  const queue = new PerOrderQueue();
  // A waiter must outlast the holder's WeChat call (timeouts, retries, backoff), plus a margin for the database.
  const lockTimeoutMs = worstCaseCallMs(deps.wechatPaySettings.timeoutMs) + 2000;
  router.post('/payments/session', async (req, res) => {
    const params = await createPaymentSession(
      {
        em: deps.orm.em,
        wechatPay: deps.wechatPay,
        settings: deps.wechatPaySettings,
        metrics: deps.metrics,
        logger: req.log,
        now: deps.clock,
        reuseSeconds: deps.config.sessionReuseSeconds,
        lockTimeoutMs,
        queue,
      },
      currentTraveler(req),
      req.body as CreateSessionBody,
    );
    // Stored as JSON.stringify wrote it; parsing and writing again gives the same bytes to every repeat.
    res.json(JSON.parse(params));
  });
  router.get('/payments/:orderId/status', async (req, res) => {
    const traveler = currentTraveler(req);
    await pollLimiter.consume(traveler.userId, req.params.orderId as string);
    res.json(await getPaymentStatus(deps.orm.em, traveler, req.params.orderId as string, deps.clock()));
  });
  return router;
}
