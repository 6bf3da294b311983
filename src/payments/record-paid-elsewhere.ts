import { LockMode } from '@mikro-orm/postgresql';
import { orderAlreadyPaid } from '../errors/app-error';
import { Order } from '../persistence/entities/order';
import type { PaymentSessionDeps } from './create-payment-session';
import { findTransactionMismatches, paidAtOf } from './check-wechat-transaction';
import { recordPaymentEvent, transitionOrderStatus } from './transition-order-status';

/**
 * WeChat answered ORDERPAID: the transaction was paid (the notification may still be on its way).
 * Query it, and if the verified answer matches our records, record the payment and answer 409.
 */
export async function recordPaidElsewhere(deps: PaymentSessionDeps, orderId: string): Promise<void> {
  const paymentToken = (await deps.em.fork().findOne(Order, { id: orderId }))?.paymentToken;
  if (!paymentToken) return;
  const transaction = await deps.wechatPay.queryByOutTradeNo(paymentToken).catch(() => undefined);
  if (transaction?.trade_state !== 'SUCCESS') return;
  const paid = await deps.em.fork().transactional(async (em) => {
    const order = await em.findOneOrFail(Order, { id: orderId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const now = deps.now();
    const mismatches = findTransactionMismatches(transaction, order, { appId: deps.settings.appId, mchId: deps.settings.mchId });
    if (mismatches.length > 0) {
      recordPaymentEvent(em, order, { event: 'transaction_mismatch', source: 'reconciler', now, detail: { mismatches } });
      return false;
    }
    if (order.status === 'paid') return true;
    return transitionOrderStatus(em, order, 'paid', { event: 'paid_confirmed_by_query', source: 'reconciler', now }, {
      paymentStatus: 'SUCCESS',
      wechatTransactionId: transaction.transaction_id,
      paidAt: paidAtOf(transaction, now),
    });
  });
  if (paid) throw orderAlreadyPaid();
}
