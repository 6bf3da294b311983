import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { OrdersRepository } from '../orders/orders-repository';
import type { DatabaseTransaction } from '../persistence/database-transactions';
import type { Order } from '../persistence/entities/order';
import type { HistorySource } from '../persistence/entities/payment-status-history';
import type { Refund, RefundStatus } from '../persistence/entities/refund';
import { canMoveRefund } from './refund-status-rules';
import type { RefundChanges, RefundsRepository } from './refunds-repository';

export interface MoveRefundDeps {
  refunds: RefundsRepository;
  orders: OrdersRepository;
  metrics: Pick<Metrics, 'refundStatusChanges' | 'refundsAbnormal'>;
  logger: Logger;
}

/** Who learned of the new state: the operator API, WeChat's notification (with its id), the reconciler, a job. */
export interface RefundOrigin {
  source: HistorySource;
  now: Date;
  notificationId?: string;
}

/**
 * The one function that moves a refund's status, whoever learned of it: the create call, the notification, the
 * reconciler. The caller holds the order's lock, then the refund's. The move is a compare-and-set; it appends a
 * row to the order's `payment_status_history` in the same transaction; ABNORMAL is raised for an operator.
 */
export async function moveRefund(
  deps: MoveRefundDeps,
  tx: DatabaseTransaction,
  order: Pick<Order, 'id' | 'status'>,
  refund: Refund,
  to: RefundStatus,
  origin: RefundOrigin,
  changes: RefundChanges = {},
): Promise<boolean> {
  const from = refund.status;
  if (!canMoveRefund(from, to)) return false;
  if (!(await deps.refunds.transition(tx, refund, to, origin.now, changes))) return false;
  await deps.orders.recordEvent(tx, order, {
    event: `refund_${to.toLowerCase()}`,
    source: origin.source,
    now: origin.now,
    notificationId: origin.notificationId,
    detail: {
      refund_id: refund.id,
      out_refund_no: refund.outRefundNo,
      amount: refund.amount,
      from,
      to,
      ...(refund.failureCode ? { failure_code: refund.failureCode } : {}),
    },
  });
  deps.metrics.refundStatusChanges.inc({ status: to });
  if (to === 'ABNORMAL') {
    deps.metrics.refundsAbnormal.inc();
    deps.logger.error(
      { orderId: order.id, refundId: refund.id, outRefundNo: refund.outRefundNo, amount: refund.amount, source: origin.source },
      'refund ABNORMAL at WeChat Pay: an operator must handle it (merchant platform, or the abnormal-refund API)',
    );
  }
  return true;
}
