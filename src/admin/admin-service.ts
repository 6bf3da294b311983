import { AppError, orderNotFound } from '../errors/app-error';
import { operatorUnauthorized } from '../errors/operator-errors';
import type { Metrics } from '../observability/metrics';
import { isUuid } from '../orders/is-uuid';
import type { OrdersRepository } from '../orders/orders-repository';
import type { CreateRefundResult } from '../refunds/create-refund';
import type { RefundDto } from '../refunds/refund-dto';
import type { RefundsService } from '../refunds/refunds-service';
import type { OperatorAuditRepository } from './operator-audit-repository';
import { readOperatorKey, type Operator, type OperatorKeys } from './operator-keys';
import { toOperatorOrderDto, type OperatorOrderDto } from './operator-order-dto';

export interface AdminServiceDeps {
  keys: OperatorKeys;
  orders: OrdersRepository;
  refunds: RefundsService;
  audit: OperatorAuditRepository;
  metrics: Pick<Metrics, 'operatorActions'>;
  clock: () => Date;
}

/** Every operator action carries who and on which request, for the audit log. */
export interface OperatorContext {
  operator: Operator;
  requestId: string;
}

export interface AdminService {
  /** How many operator keys open the API (0: every `/admin` request is refused). */
  readonly keyCount: number;
  /** The operator an `Authorization` header names; 401 `OPERATOR_UNAUTHORIZED` otherwise (traveler tokens included). */
  authenticate(authorization: string | undefined): Operator;
  getOrder(context: OperatorContext, orderId: string): Promise<OperatorOrderDto>;
  createRefund(context: OperatorContext, orderId: string, idempotencyKey: string, request: { amount: number; reason?: string }): Promise<CreateRefundResult>;
  getRefund(context: OperatorContext, refundId: string): Promise<RefundDto>;
}

type Target = { orderId?: string; refundId?: string; detail?: Record<string, unknown> };

export function createAdminService(deps: AdminServiceDeps): AdminService {
  /** Runs the action, then appends who did what, on what, when, and how it ended (its problem code when refused). */
  async function audited<T>(context: OperatorContext, action: string, target: Target, run: () => Promise<T>, describe?: (result: T) => Target): Promise<T> {
    const record = async (outcome: string, extra: Target = {}) => {
      const { orderId, refundId, detail } = { ...target, ...extra };
      deps.metrics.operatorActions.inc({ action, outcome: outcome === 'ok' ? 'ok' : 'refused' });
      await deps.audit.append({
        keyId: context.operator.keyId,
        action,
        orderId,
        refundId,
        requestId: context.requestId,
        detail: { ...target.detail, ...detail, outcome },
        createdAt: deps.clock(),
      });
    };
    try {
      const result = await run();
      await record('ok', describe?.(result));
      return result;
    } catch (err) {
      await record(err instanceof AppError ? err.code : 'INTERNAL');
      throw err;
    }
  }

  return {
    keyCount: deps.keys.count,
    authenticate(authorization) {
      const key = readOperatorKey(authorization);
      const operator = key === undefined ? undefined : deps.keys.verify(key);
      if (!operator) throw operatorUnauthorized();
      return operator;
    },
    getOrder(context, orderId) {
      return audited(context, 'order.view', { orderId: isUuid(orderId) ? orderId : undefined }, async () => {
        const order = isUuid(orderId) ? await deps.orders.findById(orderId) : null;
        if (!order) throw orderNotFound();
        const [refunds, history] = await Promise.all([deps.refunds.listOrderRefunds(orderId), deps.orders.findHistory(orderId)]);
        return toOperatorOrderDto(order, refunds, history);
      });
    },
    createRefund(context, orderId, idempotencyKey, request) {
      const target = { orderId: isUuid(orderId) ? orderId : undefined, detail: { amount: request.amount, idempotency_key: idempotencyKey } };
      return audited(
        context,
        'refund.create',
        target,
        () => deps.refunds.createRefund({ orderId, ...request, idempotencyKey, requestedBy: context.operator.keyId, source: 'admin' }),
        (result) => ({ refundId: result.refund.id, detail: { replayed: result.replayed } }),
      );
    },
    getRefund(context, refundId) {
      return audited(
        context,
        'refund.view',
        { refundId: isUuid(refundId) ? refundId : undefined },
        () => deps.refunds.getRefund(refundId),
        (refund) => ({ orderId: refund.order_id }),
      );
    },
  };
}
