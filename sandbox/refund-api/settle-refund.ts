import type { SandboxContext } from '../sandbox-context';
import type { SandboxRefund, SandboxRefundStatus } from './refunds-store';

/** A refund leaves PROCESSING: its status is final (or ABNORMAL), the transaction reads REFUND, WeChat notifies. */
export function settleRefund(ctx: SandboxContext, refund: SandboxRefund, status: Exclude<SandboxRefundStatus, 'PROCESSING'>): void {
  refund.status = status;
  if (status === 'SUCCESS') {
    refund.successTime = ctx.clock();
    const transaction = ctx.store.find(refund.outTradeNo, ctx.clock());
    if (transaction) transaction.state = 'REFUND';
  }
  ctx.logger?.info({ outRefundNo: refund.application.out_refund_no, status }, 'sandbox settled a refund');
  if (refund.application.notify_url) ctx.notifications.notifyRefund(refund, refund.application.notify_url);
}

/** WeChat keeps a refund PROCESSING for a while (minutes for balance refunds); the sandbox for `refundProcessingMs`. */
export function scheduleSettlement(ctx: SandboxContext, refund: SandboxRefund): void {
  ctx.timers.schedule(ctx.refundProcessingMs, () => {
    if (refund.status === 'PROCESSING') settleRefund(ctx, refund, refund.outcome);
  });
}
