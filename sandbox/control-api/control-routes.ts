import express, { type Response, type Router } from 'express';
import { describeTransaction } from '../pay-api/describe-transaction';
import { parseFaultRule } from '../pay-api/faults';
import type { SandboxContext } from '../sandbox-context';
import { createRefundControlRouter } from './refund-control-routes';
import { handleRequestPayment } from './request-payment-route';
import { handleRotatePlatformCertificate } from './rotate-platform-certificate-route';

function sendControlError(res: Response, status: number, message: string): void {
  res.status(status).json({ code: status === 404 ? 'NOT_FOUND' : 'INVALID_REQUEST', message });
}

function describeForControl(ctx: SandboxContext, outTradeNo: string) {
  const transaction = ctx.store.find(outTradeNo, ctx.clock());
  if (!transaction) return undefined;
  return {
    transaction: describeTransaction(transaction),
    notifyUrl: transaction.order.notify_url,
    createdAt: transaction.createdAt.toISOString(),
    expiresAt: transaction.expiresAt.toISOString(),
    prepayIds: transaction.prepayIds.map(({ prepayId, createdAt }) => ({ prepayId, createdAt: createdAt.toISOString() })),
    prepayBodies: transaction.prepayBodies,
  };
}

/** `/sandbox/…`: unsigned JSON endpoints for tests and frontend developers; they never exist on the real WeChat Pay. */
export function createControlRouter(ctx: SandboxContext): Router {
  const router = express.Router();
  router.use(express.json());

  router.get('/info', (_req, res) => {
    const { appId, mchId, merchant, wechatPayPublicKey } = ctx.credentials;
    res.json({
      appId,
      mchId,
      merchantSerialNo: merchant.serialNo,
      wechatPayPublicKeyId: wechatPayPublicKey.id,
      platformCertificateSerialNo: ctx.signer.platformCertificateSerial,
      platformCertificateSerialNos: ctx.platformCertificates.map((certificate) => certificate.serialNo),
      signingMode: ctx.signer.mode,
    });
  });
  router.get('/calls', (_req, res) => {
    res.json({ calls: ctx.calls.list() });
  });
  router.delete('/calls', (_req, res) => {
    ctx.calls.clear();
    res.status(204).end();
  });

  router.get('/transactions/:outTradeNo', (req, res) => {
    const described = describeForControl(ctx, req.params.outTradeNo);
    if (described) res.json(described);
    else sendControlError(res, 404, `no order with out_trade_no ${req.params.outTradeNo}`);
  });

  router.get('/faults', (_req, res) => {
    res.json({ faults: ctx.faults.list() });
  });
  router.post('/faults', (req, res) => {
    const rule = parseFaultRule(req.body);
    if (typeof rule === 'string') return sendControlError(res, 400, rule);
    ctx.faults.add(rule);
    res.status(201).json({ fault: rule });
  });
  router.delete('/faults', (_req, res) => {
    ctx.faults.clear();
    res.status(204).end();
  });

  router.post('/request-payment', handleRequestPayment(ctx));
  router.post('/rotate-platform-certificate', handleRotatePlatformCertificate(ctx));
  router.use(createRefundControlRouter(ctx));
  router.get('/notifications', (_req, res) => {
    res.json({ notifications: ctx.notifications.list() });
  });
  router.post('/notifications/resend', async (req, res) => {
    const attempt = await ctx.notifications.resend(String(req.body?.id));
    if (attempt) res.json({ attempt });
    else sendControlError(res, 404, 'no notification with that id');
  });
  router.post('/probe-notification', async (req, res) => {
    const outTradeNo = String(req.body?.out_trade_no ?? req.body?.outTradeNo);
    const transaction = ctx.store.find(outTradeNo, ctx.clock());
    if (!transaction) return sendControlError(res, 404, `no order with out_trade_no ${outTradeNo}`);
    const notification = await ctx.notifications.probe(transaction);
    const status = notification.attempts[0]?.status ?? null;
    // a receiver that accepts a probe (2xx) fails to verify signatures
    res.json({ notification, refused: status !== null && status >= 400 });
  });
  return router;
}
