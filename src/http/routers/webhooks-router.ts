import express, { Router, type RequestHandler } from 'express';
import { applyPaymentNotification } from '../../payments/apply-payment-notification';
import { parseWechatPayNotification } from '../../wechatpay/parse-wechatpay-notification';
import { createVerificationKeys } from '../../wechatpay/verify-wechatpay-signature';
import type { AppDeps } from '../app-deps';

/**
 * WeChat Pay's notification. Mounted before the JSON body parser and outside the contract validator:
 * the signature covers the raw bytes, and a re-serialised body would never verify. No bearer auth.
 */
export function webhooksRouter(deps: AppDeps): Router {
  const router = Router();
  const keys = createVerificationKeys(deps.wechatPaySettings);
  const { metrics } = deps;
  const readRawBody = express.raw({ type: () => true, limit: '64kb' });
  // An unreadable body (too large, cut off) is refused in WeChat's answer shape, never as a 5xx.
  const rawBodyOrRefuse: RequestHandler = (req, res, next) =>
    readRawBody(req, res, (err?: unknown) => {
      if (!err) return next();
      const status = (err as { status?: number }).status ?? 400;
      req.log.warn({ err }, 'WeChat Pay notification body unreadable');
      res.status(status < 500 ? status : 400).json({ code: 'FAIL', message: 'body unreadable' });
    });
  router.post('/payments/wechat/notify', rawBodyOrRefuse, async (req, res) => {
    metrics.notificationsReceived.inc();
    const now = deps.clock();
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const parsed = parseWechatPayNotification({ keys, apiV3Key: deps.wechatPaySettings.apiV3Key, headers: req.headers, rawBody, now });
    if (!parsed.ok) {
      // Probes (WECHATPAY/SIGNTEST/) land here too: answering them 2xx would be a security defect.
      metrics.notificationsRejected.inc({ reason: parsed.reason });
      req.log.warn({ reason: parsed.reason, detail: parsed.detail, serial: req.header('Wechatpay-Serial') }, 'WeChat Pay notification refused');
      res.status(401).json({ code: 'FAIL', message: 'signature verification failed' });
      return;
    }
    metrics.notificationsVerified.inc();
    try {
      const outcome = await applyPaymentNotification(
        { em: deps.orm.em, settings: deps.wechatPaySettings, metrics, logger: req.log, now },
        parsed.envelope,
        parsed.transaction,
      );
      if (outcome === 'duplicate') metrics.notificationsDuplicate.inc();
      if (outcome === 'applied') metrics.notificationsApplied.inc();
      req.log.info({ notificationId: parsed.envelope.id, outcome }, 'WeChat Pay notification processed');
      res.status(204).end();
    } catch (err) {
      // Nothing was committed; WeChat retries on its schedule (about 24 hours).
      req.log.error({ err, notificationId: parsed.envelope.id }, 'WeChat Pay notification processing failed');
      res.status(500).json({ code: 'FAIL', message: 'processing failed' });
    }
  });
  return router;
}
