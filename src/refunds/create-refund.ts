import { CheckConstraintViolationException, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { createHash, randomBytes } from 'node:crypto';
import { idempotencyKeyReused, orderNotFound, wechatUnavailable } from '../errors/app-error';
import { invalidRefundReason, refundExceedsPaid, refundLimitReached, refundNotAllowed } from '../errors/operator-errors';
import { isUuid } from '../orders/is-uuid';
import type { Order } from '../persistence/entities/order';
import type { HistorySource } from '../persistence/entities/payment-status-history';
import { Refund } from '../persistence/entities/refund';
import type { RefundRequest } from '../wechatpay-sdk';
import { toRefundDto } from './refund-dto';
import { storedRejection } from './refund-failure';
import { MAX_REFUNDS_PER_ORDER } from './refund-status-rules';
import { submitRefund, type RefundDeps } from './submit-refund';

export interface CreateRefundInput {
  orderId: string;
  /** Fen. */
  amount: number;
  reason?: string;
  idempotencyKey: string;
  /** The operator key's id, or `auto`. */
  requestedBy: string;
  source: HistorySource;
}

export interface CreateRefundResult {
  /** The first answer given under this Idempotency-Key, as JSON text: every replay is byte-identical. */
  answer: string;
  replayed: boolean;
  refund: Refund;
}

/** WeChat Pay: `reason` is at most 80 bytes (UTF-8), without 4-byte characters. */
function assertReasonIsAcceptedByWechatPay(reason: string | undefined): void {
  if (reason === undefined) return;
  if (Buffer.byteLength(reason, 'utf8') > 80 || [...reason].some((char) => (char.codePointAt(0) ?? 0) > 0xffff)) throw invalidRefundReason();
}

function hashRequest(input: CreateRefundInput): string {
  return createHash('sha256')
    .update(JSON.stringify({ order_id: input.orderId, amount: input.amount, reason: input.reason ?? null }))
    .digest('hex');
}

/** The rule exists here for a clear answer; the database enforces it again (trigger and CHECK) for every writer. */
function assertOrderCanBeRefunded(order: Order, amount: number, refundsSoFar: number): void {
  if (!(order.status === 'paid' || order.paidAfterCancel) || !order.outTradeNo) throw refundNotAllowed();
  if (refundsSoFar >= MAX_REFUNDS_PER_ORDER) throw refundLimitReached();
  const refundable = order.amount - order.refundAmount;
  if (amount > refundable) throw refundExceedsPaid(refundable);
}

function buildRefund(deps: RefundDeps, order: Order, input: CreateRefundInput, requestHash: string, now: Date): Refund {
  const request: RefundRequest = {
    out_trade_no: order.outTradeNo as string,
    out_refund_no: randomBytes(16).toString('hex'),
    ...(input.reason ? { reason: input.reason } : {}),
    notify_url: deps.refundNotifyUrl,
    amount: { refund: input.amount, total: order.amount, currency: 'CNY' },
  };
  return Object.assign(new Refund(), {
    orderId: order.id,
    outRefundNo: request.out_refund_no,
    amount: input.amount,
    reason: input.reason,
    requestBody: JSON.stringify(request),
    idempotencyKey: input.idempotencyKey,
    requestHash,
    requestedBy: input.requestedBy,
    createdAt: now,
    updatedAt: now,
  });
}

type Reservation = { refund: Refund; fresh: boolean };

/** Under the order's lock: the same key finds its refund; a new one is checked, then committed before WeChat hears of it. */
function reserveRefund(deps: RefundDeps, input: CreateRefundInput, requestHash: string): Promise<Reservation> {
  return deps.transactions.run(async (tx) => {
    const order = await deps.orders.lockById(tx, input.orderId);
    if (!order) throw orderNotFound();
    const existing = await deps.refunds.findByIdempotencyKey(tx, input.idempotencyKey);
    if (existing) {
      if (existing.requestHash !== requestHash) throw idempotencyKeyReused();
      return { refund: existing, fresh: false };
    }
    assertOrderCanBeRefunded(order, input.amount, await deps.refunds.countForOrder(tx, order.id));
    const now = deps.clock();
    const refund = buildRefund(deps, order, input, requestHash, now);
    await deps.refunds.insert(tx, refund);
    await deps.orders.recordEvent(tx, order, {
      event: 'refund_requested',
      source: input.source,
      now,
      detail: { refund_id: refund.id, out_refund_no: refund.outRefundNo, amount: refund.amount, requested_by: refund.requestedBy },
    });
    return { refund, fresh: true };
  });
}

/** The database refused what the code let through (another writer, another instance): the same answers as the code's. */
async function reserveOrExplain(deps: RefundDeps, input: CreateRefundInput, requestHash: string): Promise<Reservation> {
  try {
    return await reserveRefund(deps, input, requestHash);
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) return reserveRefund(deps, input, requestHash);
    if (!(err instanceof CheckConstraintViolationException)) throw err;
    const constraint = (err as { constraint?: string }).constraint;
    if (constraint === 'refunds_order_refundable') throw refundNotAllowed();
    const order = await deps.orders.findById(input.orderId);
    throw refundExceedsPaid(order ? order.amount - order.refundAmount : 0);
  }
}

/** The answer given once WeChat accepted the refund; later requests with the key replay it. */
async function answerOnce(deps: RefundDeps, refund: Refund): Promise<CreateRefundResult> {
  return deps.transactions.run(async (tx) => {
    const locked = await deps.refunds.lockById(tx, refund.id);
    if (!locked) throw new Error(`refund ${refund.id} vanished`);
    const replayed = locked.firstAnswer !== undefined && locked.firstAnswer !== null;
    deps.refunds.recordFirstAnswer(locked, JSON.stringify(toRefundDto(locked)));
    return { answer: locked.firstAnswer as string, replayed, refund: locked };
  });
}

/**
 * A refund of a paid order (or one paid after cancel), exactly once per Idempotency-Key: the out_refund_no and the
 * body are committed before WeChat Pay is called; a repeat of a refund WeChat has not accepted yet re-sends that body.
 */
export async function createRefund(deps: RefundDeps, input: CreateRefundInput): Promise<CreateRefundResult> {
  if (!isUuid(input.orderId)) throw orderNotFound();
  assertReasonIsAcceptedByWechatPay(input.reason);
  const { refund, fresh } = await reserveOrExplain(deps, input, hashRequest(input));
  if (fresh) deps.metrics.refundsRequested.inc({ source: input.source });
  if (refund.status === 'REJECTED') throw storedRejection(refund.failureCode, refund.failureMessage);
  if (refund.status !== 'PENDING') return answerOnce(deps, refund);
  const submitted = await submitRefund(deps, refund, input.source);
  // WeChat answered something that disagrees with our records: nothing to promise yet; the reconciler asks again.
  if (submitted.status === 'PENDING') throw wechatUnavailable();
  return answerOnce(deps, submitted);
}
