import express, { type Router } from 'express';
import { handleCertificates } from './certificates-route';
import { checkRequestHeaders } from './check-request-headers';
import { handlePrepay } from './prepay-route';
import type { SandboxContext } from '../sandbox-context';
import { serveWechatPayCall } from './serve-wechat-call';
import { handleClose, handleQuery } from './transaction-routes';
import { verifyMerchantRequest } from './verify-merchant-request';
import { handleCreateRefund, handleQueryRefund } from '../refund-api/refund-routes';
import { replyError, sendWechatPayReply } from './wechat-pay-reply';

/** `/v3/…`: raw body kept for the signature check, then the merchant signature, then the routes. */
export function createPayRouter(ctx: SandboxContext): Router {
  const router = express.Router();
  router.use(express.raw({ type: () => true, limit: '1mb' }));
  router.use(verifyMerchantRequest(ctx));
  router.use(checkRequestHeaders(ctx));
  router.post('/pay/transactions/jsapi', serveWechatPayCall(ctx, handlePrepay(ctx)));
  router.get('/pay/transactions/out-trade-no/:out_trade_no', serveWechatPayCall(ctx, handleQuery(ctx)));
  router.post('/pay/transactions/out-trade-no/:out_trade_no/close', serveWechatPayCall(ctx, handleClose(ctx)));
  router.post('/refund/domestic/refunds', serveWechatPayCall(ctx, handleCreateRefund(ctx)));
  router.get('/refund/domestic/refunds/:out_refund_no', serveWechatPayCall(ctx, handleQueryRefund(ctx)));
  router.get('/certificates', serveWechatPayCall(ctx, handleCertificates(ctx)));
  router.use((req, res) => {
    sendWechatPayReply(res, replyError(404, 'NOT_FOUND', `sandbox WeChat Pay has no ${req.method} ${req.path}`), { signer: ctx.signer });
  });
  return router;
}
