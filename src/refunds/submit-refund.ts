import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { OrdersRepository } from '../orders/orders-repository';
import { wechatFailureCode, wechatFailureLog } from '../payments/wechat-failure';
import type { DatabaseTransaction, DatabaseTransactions } from '../persistence/database-transactions';
import type { Order } from '../persistence/entities/order';
import type { HistorySource } from '../persistence/entities/payment-status-history';
import type { Refund } from '../persistence/entities/refund';
import { classifyRefundFailure, WechatPayApiError, type RefundRequest, type RefundService } from '../wechatpay-sdk';
import { applyWechatRefund, observeRefund } from './apply-wechat-refund';
import { moveRefund } from './move-refund';
import { isFinalRefusal, refundFailureError } from './refund-failure';
import type { RefundsRepository } from './refunds-repository';

/** What every refund use case needs; built once at the composition root, and what a job is given too. */
export interface RefundDeps {
  orders: OrdersRepository;
  refunds: RefundsRepository;
  transactions: DatabaseTransactions;
  refundApi: RefundService;
  metrics: Pick<Metrics, 'refundsRequested' | 'refundStatusChanges' | 'refundsAbnormal' | 'refundWechatErrors'>;
  logger: Logger;
  clock: () => Date;
  /** `notify_url` of every refund request: where WeChat sends REFUND.* notifications. */
  refundNotifyUrl: string;
}

/** Order first, then refund: the lock order every refund writer keeps. */
export async function lockOrderAndRefund(
  deps: RefundDeps,
  tx: DatabaseTransaction,
  refund: Pick<Refund, 'id' | 'orderId'>,
): Promise<{ order: Order; refund: Refund }> {
  const order = await deps.orders.lockById(tx, refund.orderId);
  const locked = await deps.refunds.lockById(tx, refund.id);
  if (!order || !locked) throw new Error(`refund ${refund.id} or its order vanished`);
  return { order, refund: locked };
}

async function recordFailure(deps: RefundDeps, stored: Refund, err: unknown, source: HistorySource): Promise<never> {
  const kind = classifyRefundFailure(err);
  const code = wechatFailureCode(err);
  deps.metrics.refundWechatErrors.inc({ code });
  deps.logger.error({ ...wechatFailureLog(err), refundId: stored.id, outRefundNo: stored.outRefundNo, kind }, 'WeChat Pay refund failed');
  const api = err instanceof WechatPayApiError ? err : undefined;
  const changes = { failureCode: api?.code ?? code, failureMessage: (api?.message ?? String((err as Error).message)).slice(0, 256) };
  await deps.transactions.run(async (tx) => {
    const { order, refund } = await lockOrderAndRefund(deps, tx, stored);
    if (refund.status !== 'PENDING') return;
    deps.refunds.update(refund, changes);
    if (isFinalRefusal(kind)) await moveRefund(deps, tx, order, refund, 'REJECTED', { source, now: deps.clock() });
  });
  throw refundFailureError(kind, err);
}

/**
 * Sends the stored body of a PENDING refund to WeChat Pay, byte for byte as first committed (WeChat treats the same
 * out_refund_no as the same refund, so a re-send after a timeout never refunds twice), and applies the answer.
 */
export async function submitRefund(deps: RefundDeps, stored: Refund, source: HistorySource): Promise<Refund> {
  const request = JSON.parse(stored.requestBody) as RefundRequest;
  let answer: Awaited<ReturnType<RefundService['createRefund']>>;
  try {
    answer = await deps.refundApi.createRefund(request);
  } catch (err) {
    return recordFailure(deps, stored, err, source);
  }
  return deps.transactions.run(async (tx) => {
    const { order, refund } = await lockOrderAndRefund(deps, tx, stored);
    await applyWechatRefund(deps, tx, order, refund, observeRefund(answer.refund), { source, now: deps.clock() });
    return refund;
  });
}
