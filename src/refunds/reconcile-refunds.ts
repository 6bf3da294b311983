import { AppError } from '../errors/app-error';
import type { RefundStatus } from '../persistence/entities/refund';
import { isRefundNotFound } from '../wechatpay-sdk';
import { applyWechatRefund, observeRefund } from './apply-wechat-refund';
import { lockOrderAndRefund, submitRefund, type RefundDeps } from './submit-refund';

/**
 * One refund WeChat has not finished: a PENDING one (never accepted, or its answer was lost) is re-sent with its
 * stored body, which WeChat treats as the same refund; a PROCESSING or ABNORMAL one is queried and the answer applied
 * through the same function as notifications. Returns the status it ends in.
 */
export async function reconcileRefund(deps: RefundDeps, refundId: string): Promise<RefundStatus | undefined> {
  const refund = await deps.refunds.findById(refundId);
  if (!refund) return undefined;
  if (refund.status === 'PENDING') {
    try {
      return (await submitRefund(deps, refund, 'reconciler')).status;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return (await deps.refunds.findById(refundId))?.status;
    }
  }
  if (refund.status !== 'PROCESSING' && refund.status !== 'ABNORMAL') return refund.status;
  let answer;
  try {
    answer = await deps.refundApi.queryRefund(refund.outRefundNo);
  } catch (err) {
    const level = isRefundNotFound(err) ? 'error' : 'warn';
    deps.logger[level]({ err, refundId, outRefundNo: refund.outRefundNo }, 'refund query failed; asking again next run');
    return refund.status;
  }
  return deps.transactions.run(async (tx) => {
    const { order, refund: locked } = await lockOrderAndRefund(deps, tx, refund);
    await applyWechatRefund(deps, tx, order, locked, observeRefund(answer), { source: 'reconciler', now: deps.clock() });
    return locked.status;
  });
}

export interface ReconcileRefundsOptions {
  /** Only refunds untouched this long: WeChat advises querying about a minute after the application. */
  olderThanMs: number;
  limit: number;
}

/** The reconciler's pass over refunds that stay PENDING or PROCESSING; one at a time, oldest first. */
export async function reconcileUnsettledRefunds(deps: RefundDeps, options: ReconcileRefundsOptions): Promise<{ checked: number; settled: number }> {
  const unsettled = await deps.refunds.findUnsettled(new Date(deps.clock().getTime() - options.olderThanMs), options.limit);
  let settled = 0;
  for (const refund of unsettled) {
    const status = await reconcileRefund(deps, refund.id);
    if (status && status !== 'PENDING' && status !== 'PROCESSING') settled += 1;
  }
  return { checked: unsettled.length, settled };
}
