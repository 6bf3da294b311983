import type { Order } from '../persistence/entities/order';
import type { WechatTransaction } from '../wechatpay-sdk';

/**
 * Fields of a WeChat transaction that disagree with our records. A verified signature proves WeChat sent
 * it, not that it is about this order at this price: any mismatch must never mark the order paid.
 */
export function findTransactionMismatches(transaction: WechatTransaction, order: Order, merchant: { appId: string; mchId: string }): string[] {
  const mismatches: string[] = [];
  if (transaction.mchid !== merchant.mchId) mismatches.push('mchid');
  if (transaction.appid !== merchant.appId) mismatches.push('appid');
  if (transaction.out_trade_no !== order.outTradeNo) mismatches.push('out_trade_no');
  if (transaction.amount?.total !== order.amount) mismatches.push('amount');
  if (transaction.amount?.currency !== 'CNY') mismatches.push('currency');
  if (transaction.payer?.openid !== order.payerOpenid) mismatches.push('payer');
  return mismatches;
}

/** WeChat's `success_time`; a missing or unreadable one counts as now (the answer proves payment, not its time). */
export function paidAtOf(transaction: WechatTransaction, now: Date): Date {
  const parsed = transaction.success_time ? new Date(transaction.success_time) : now;
  return Number.isNaN(parsed.getTime()) ? now : parsed;
}
