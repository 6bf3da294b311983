import type { Request } from 'express';
import { parseJsonObject, readString } from './check-json-fields';
import { describeTransaction } from './describe-transaction';
import type { SandboxContext } from '../sandbox-context';
import { readRawBody, type WechatPayHandler } from './serve-wechat-call';
import type { SandboxTransaction } from './transactions-store';
import { replyError, replyOk, type WechatPayReply } from './wechat-pay-reply';

function checkMchid(ctx: SandboxContext, mchid: string | null | undefined, location: 'query' | 'body'): WechatPayReply | undefined {
  if (!mchid) return replyError(400, 'PARAM_ERROR', '缺少参数mchid', { detail: { field: 'mchid', location, issue: 'is required' }, errorNumber: 268435461 });
  if (mchid !== ctx.credentials.mchId) return replyError(400, 'MCH_NOT_EXISTS', '商户号不存在');
  return undefined;
}

function findTransaction(ctx: SandboxContext, req: Request): SandboxTransaction | WechatPayReply {
  const transaction = ctx.store.find(String(req.params.out_trade_no), ctx.clock());
  return transaction ?? replyError(404, 'ORDER_NOT_EXIST', '订单不存在', { errorNumber: 268512771 });
}

/** `GET /v3/pay/transactions/out-trade-no/{out_trade_no}?mchid=…`: the transaction object, signed, not encrypted. */
export function handleQuery(ctx: SandboxContext): WechatPayHandler {
  return (req) => {
    const mchid = new URL(req.originalUrl, 'http://sandbox').searchParams.get('mchid');
    const problem = checkMchid(ctx, mchid, 'query');
    if (problem) return problem;
    const found = findTransaction(ctx, req);
    return 'order' in found ? replyOk(describeTransaction(found)) : found;
  };
}

/** `POST …/{out_trade_no}/close` with `{"mchid"}`: 204, again 204 when already closed; a paid order cannot be closed. */
export function handleClose(ctx: SandboxContext): WechatPayHandler {
  return (req) => {
    const body = parseJsonObject(readRawBody(req));
    const problem = checkMchid(ctx, readString(body, 'mchid', '/mchid', { required: false, maxLength: 32 }), 'body');
    if (problem) return problem;
    const found = findTransaction(ctx, req);
    if (!('order' in found)) return found;
    if (found.state === 'SUCCESS' || found.state === 'REFUND') return replyError(403, 'ORDERPAID', '该订单已支付', { errorNumber: 268498689 });
    ctx.store.close(found);
    return replyOk();
  };
}
