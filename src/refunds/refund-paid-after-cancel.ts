import { AppError } from '../errors/app-error';
import { createRefund, type CreateRefundResult } from './create-refund';
import type { RefundDeps } from './submit-refund';

// Shown to the payer in WeChat (at most 80 bytes).
const AUTO_REFUND_REASON = '订单已取消，自动退款';

/** One key per order: a job run twice, or retried, replays the same refund instead of creating another. */
export const AUTO_REFUND_KEY_PREFIX = 'auto-refund-paid-after-cancel:';
export const autoRefundKey = (orderId: string) => `${AUTO_REFUND_KEY_PREFIX}${orderId}`;

export type AutoRefundOutcome = { refunded: CreateRefundResult } | { skipped: string };

/**
 * Money arrived for an order that was already cancelled: give all of it back, through the same path as an
 * operator's refund (same rules, same out_refund_no discipline). A refusal that retrying cannot fix (an operator
 * refunded it already, WeChat rejected it) is logged and ends the job; anything else throws so the job retries.
 */
export async function refundPaidAfterCancel(deps: RefundDeps, orderId: string): Promise<AutoRefundOutcome> {
  const order = await deps.orders.findById(orderId);
  if (!order?.paidAfterCancel) return { skipped: 'not flagged paid_after_cancel' };
  try {
    const refunded = await createRefund(deps, {
      orderId,
      amount: order.amount,
      reason: AUTO_REFUND_REASON,
      idempotencyKey: autoRefundKey(orderId),
      requestedBy: 'auto',
      source: 'job',
    });
    deps.logger.info({ orderId, refundId: refunded.refund.id, status: refunded.refund.status }, 'paid-after-cancel order refunded automatically');
    return { refunded };
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500 || err.status === 429 || err.code === 'REFUND_BALANCE_INSUFFICIENT') throw err;
    deps.logger.warn({ orderId, code: err.code }, 'paid-after-cancel order not refunded automatically: an operator must look');
    return { skipped: err.code };
  }
}
