import { formatBeijingTime } from '../../src/wechatpay-sdk';
import type { SandboxTransaction, TradeState } from './transactions-store';

const STATE_DESCRIPTIONS: Record<TradeState, string> = {
  NOTPAY: '订单未支付',
  SUCCESS: '支付成功',
  CLOSED: '订单已关闭',
  PAYERROR: '支付失败，请重新下单支付',
  REFUND: '转入退款',
};

/** The transaction object of the query API, also the plaintext of TRANSACTION.SUCCESS notifications. */
export function describeTransaction(transaction: SandboxTransaction): Record<string, unknown> {
  const { order } = transaction;
  const paid = transaction.state === 'SUCCESS' || transaction.state === 'REFUND';
  return {
    appid: order.appid,
    mchid: order.mchid,
    out_trade_no: order.out_trade_no,
    ...(paid ? { transaction_id: transaction.transactionId } : {}),
    trade_type: 'JSAPI',
    trade_state: transaction.state,
    trade_state_desc: STATE_DESCRIPTIONS[transaction.state],
    ...(paid ? { bank_type: 'OTHERS' } : {}),
    // attach is echoed back only once the order is paid
    ...(paid && order.attach !== undefined ? { attach: order.attach } : {}),
    ...(paid && transaction.successTime ? { success_time: formatBeijingTime(transaction.successTime) } : {}),
    payer: { openid: order.payer.openid },
    amount: paid
      ? { total: order.amount.total, payer_total: order.amount.total, currency: order.amount.currency, payer_currency: order.amount.currency }
      : { total: order.amount.total, currency: order.amount.currency },
  };
}
