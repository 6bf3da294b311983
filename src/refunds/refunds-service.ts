import { refundNotFound } from '../errors/operator-errors';
import type { Logger } from '../observability/logger';
import { isUuid } from '../orders/is-uuid';
import type { NotificationAnswer } from '../payments/handle-payment-notification';
import type { WechatPayHeaders } from '../wechatpay-sdk';
import { createRefund, type CreateRefundInput, type CreateRefundResult } from './create-refund';
import { handleRefundNotification, type HandleRefundNotificationDeps } from './handle-refund-notification';
import { reconcileRefund, reconcileUnsettledRefunds, type ReconcileRefundsOptions } from './reconcile-refunds';
import { AUTO_REFUND_KEY_PREFIX, refundPaidAfterCancel, type AutoRefundOutcome } from './refund-paid-after-cancel';
import { toRefundDto, type RefundDto } from './refund-dto';
import type { RefundStatus } from '../persistence/entities/refund';

/** The refund use cases, built once: the operator API, the webhook and the jobs call these. */
export interface RefundsService {
  createRefund(input: CreateRefundInput): Promise<CreateRefundResult>;
  getRefund(refundId: string): Promise<RefundDto>;
  listOrderRefunds(orderId: string): Promise<RefundDto[]>;
  handleNotification(headers: WechatPayHeaders, rawBody: Buffer, logger: Logger): Promise<NotificationAnswer>;
  /** For the reconciler job: refunds that stay PENDING or PROCESSING, re-sent or queried. */
  reconcileUnsettled(options: ReconcileRefundsOptions): Promise<{ checked: number; settled: number }>;
  reconcileRefund(refundId: string): Promise<RefundStatus | undefined>;
  /** For the paid-after-cancel job (AUTO_REFUND_PAID_AFTER_CANCEL=true). */
  refundPaidAfterCancel(orderId: string): Promise<AutoRefundOutcome>;
  /** Orders flagged paid_after_cancel that no refund was tried for: what the sweep queues. */
  findOrdersAwaitingAutoRefund(limit: number): Promise<string[]>;
}

export function createRefundsService(deps: HandleRefundNotificationDeps): RefundsService {
  return {
    createRefund: (input) => createRefund(deps, input),
    async getRefund(refundId) {
      const refund = isUuid(refundId) ? await deps.refunds.findById(refundId) : null;
      if (!refund) throw refundNotFound();
      return toRefundDto(refund);
    },
    async listOrderRefunds(orderId) {
      return (await deps.refunds.listByOrder(orderId)).map(toRefundDto);
    },
    handleNotification: (headers, rawBody, logger) => handleRefundNotification(deps, logger, headers, rawBody),
    reconcileUnsettled: (options) => reconcileUnsettledRefunds(deps, options),
    reconcileRefund: (refundId) => reconcileRefund(deps, refundId),
    refundPaidAfterCancel: (orderId) => refundPaidAfterCancel(deps, orderId),
    findOrdersAwaitingAutoRefund: (limit) => deps.refunds.findOrdersAwaitingAutoRefund(AUTO_REFUND_KEY_PREFIX, limit),
  };
}
