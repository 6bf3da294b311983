import { orderAlreadyPaid } from '../errors/app-error';
import type { Logger } from '../observability/logger';
import type { OrdersRepository } from '../orders/orders-repository';
import type { DatabaseTransactions } from '../persistence/database-transactions';
import type { JsapiService } from '../wechatpay-sdk';
import { applyWechatTransaction } from './apply-wechat-transaction';

export interface ConfirmByQueryDeps {
  orders: OrdersRepository;
  transactions: DatabaseTransactions;
  jsapi: JsapiService;
  merchant: { appId: string; mchId: string };
  logger: Logger;
  clock: () => Date;
}

/**
 * WeChat answered ORDERPAID: the transaction was paid (the notification may still be on its way). Query it and
 * apply the verified answer as the webhook would; when the order is then paid, answer 409.
 */
export async function confirmPaymentByQuery(deps: ConfirmByQueryDeps, orderId: string): Promise<void> {
  const outTradeNo = await deps.orders.findOutTradeNo(orderId);
  if (!outTradeNo) return;
  const transaction = await deps.jsapi.queryByOutTradeNo(outTradeNo).catch(() => undefined);
  if (transaction?.trade_state !== 'SUCCESS') return;
  const paid = await deps.transactions.run(async (tx) => {
    const order = await deps.orders.lockByOutTradeNo(tx, outTradeNo);
    if (!order) return false;
    const applied = await applyWechatTransaction(deps, tx, order, transaction, { source: 'reconciler', now: deps.clock() });
    return applied.outcome === 'applied' || applied.outcome === 'already_paid';
  });
  if (paid) throw orderAlreadyPaid();
}
