import type { SandboxContext } from '../sandbox-context';
import { readRawBody, type WechatPayHandler } from './serve-wechat-call';
import { validatePrepayRequest } from './validate-prepay-request';
import { replyError, replyOk } from './wechat-pay-reply';

/**
 * `POST /v3/pay/transactions/jsapi`. An out_trade_no is re-entrant only with a byte-identical body: WeChat rejects a
 * re-sent order whose parameters differ, so the merchant must persist and re-send exactly what it sent first.
 */
export function handlePrepay(ctx: SandboxContext): WechatPayHandler {
  return (req) => {
    const raw = readRawBody(req);
    const order = validatePrepayRequest(raw, ctx.credentials);
    const now = ctx.clock();
    const existing = ctx.store.find(order.out_trade_no, now);
    if (!existing) {
      const created = ctx.store.create(order, raw, now);
      ctx.logger?.info({ outTradeNo: order.out_trade_no, total: order.amount.total }, 'sandbox created an order');
      return replyOk({ prepay_id: ctx.store.issuePrepayId(created, now) });
    }
    existing.prepayBodies.push(raw);
    if (existing.state === 'SUCCESS' || existing.state === 'REFUND') return replyError(403, 'ORDERPAID', '该订单已支付', { errorNumber: 268498689 });
    if (existing.state === 'CLOSED') return replyError(400, 'ORDER_CLOSED', '该订单已关闭', { errorNumber: 268447914 });
    if (raw !== existing.prepayBodies[0]) {
      return replyError(400, 'INVALID_REQUEST', '请求重入时，参数与首次请求时不一致', {
        detail: { location: 'body', issue: 'the body differs from the first request with this out_trade_no' },
        errorNumber: 268498688,
      });
    }
    return replyOk({ prepay_id: ctx.store.issuePrepayId(existing, now) });
  };
}
