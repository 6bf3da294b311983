import type { SandboxContext } from '../sandbox-context';
import { readRawBody, type WechatPayHandler } from '../pay-api/serve-wechat-call';
import type { SandboxTransaction } from '../pay-api/transactions-store';
import { replyError, replyOk, type WechatPayReply } from '../pay-api/wechat-pay-reply';
import { describeRefund } from './describe-refund';
import type { RefundApplication } from './refunds-store';
import { scheduleSettlement } from './settle-refund';
import { validateRefundRequest } from './validate-refund-request';

// WeChat Pay: at most 50 refunds per transaction.
const MAX_REFUNDS = 50;

const invalid = (message: string, issue: string) =>
  replyError(400, 'INVALID_REQUEST', message, { detail: { location: 'body', issue }, errorNumber: 268498688 });

function findTransaction(ctx: SandboxContext, application: RefundApplication): SandboxTransaction | undefined {
  if (application.out_trade_no) return ctx.store.find(application.out_trade_no, ctx.clock());
  return ctx.store.findByTransactionId(application.transaction_id as string);
}

/** WeChat's rules for a new refund: a paid transaction, the original total, never more than what is left. */
function checkRefundable(ctx: SandboxContext, transaction: SandboxTransaction, application: RefundApplication): WechatPayReply | undefined {
  if (transaction.state !== 'SUCCESS' && transaction.state !== 'REFUND') return invalid('订单未支付，不能退款', `the transaction is ${transaction.state}`);
  const total = transaction.order.amount.total;
  if (application.amount.total !== total) return invalid('订单金额与原订单金额不一致', `amount.total must be ${total}`);
  const outTradeNo = transaction.order.out_trade_no;
  if (ctx.refunds.forTransaction(outTradeNo).length >= MAX_REFUNDS) return invalid('退款次数超过限制', `at most ${MAX_REFUNDS} refunds per transaction`);
  const left = total - ctx.refunds.committedAmount(outTradeNo);
  if (application.amount.refund > left) return invalid('申请退款金额超过订单可退金额', `at most ${left} fen can still be refunded`);
  return undefined;
}

/**
 * `POST /v3/refund/domestic/refunds`. The same out_refund_no is one refund: re-sent with the same body it answers
 * that refund again (re-entrant), with any other body it is refused. The answer is acceptance: PROCESSING.
 */
export function handleCreateRefund(ctx: SandboxContext): WechatPayHandler {
  return (req) => {
    const raw = readRawBody(req);
    const application = validateRefundRequest(raw);
    const existing = ctx.refunds.find(application.out_refund_no);
    if (existing) {
      existing.bodies.push(raw);
      if (raw !== existing.firstBody) return invalid('请求重入时，参数与首次请求时不一致', 'the body differs from the first request with this out_refund_no');
      return replyOk(describeRefund(existing));
    }
    const transaction = findTransaction(ctx, application);
    if (!transaction) return replyError(404, 'RESOURCE_NOT_EXISTS', '订单不存在', { errorNumber: 268447523 });
    const refused = checkRefundable(ctx, transaction, application);
    if (refused) return refused;
    const refund = ctx.refunds.create(
      application,
      raw,
      { outTradeNo: transaction.order.out_trade_no, transactionId: transaction.transactionId as string },
      ctx.clock(),
    );
    ctx.logger?.info({ outRefundNo: application.out_refund_no, refund: application.amount.refund }, 'sandbox accepted a refund');
    scheduleSettlement(ctx, refund);
    return replyOk(describeRefund(refund));
  };
}

/** `GET /v3/refund/domestic/refunds/{out_refund_no}`: the refund object, signed; unknown → 404 RESOURCE_NOT_EXISTS. */
export function handleQueryRefund(ctx: SandboxContext): WechatPayHandler {
  return (req) => {
    const refund = ctx.refunds.find(String(req.params.out_refund_no));
    return refund ? replyOk(describeRefund(refund)) : replyError(404, 'RESOURCE_NOT_EXISTS', '退款单不存在', { errorNumber: 268447523 });
  };
}
