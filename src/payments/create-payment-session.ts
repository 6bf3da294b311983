import { DriverException } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import type { components } from '../../generated/api';
import type { Traveler } from '../auth/traveler-tokens';
import { AppError, openidMismatch, orderNotFound, paymentInProgress } from '../errors/app-error';
import { maskOpenid, type Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { isUuid } from '../orders/is-uuid';
import { assertOrderCanBePaid } from '../orders/order-status-rules';
import type { OrdersRepository } from '../orders/orders-repository';
import type { DatabaseTransaction, DatabaseTransactions } from '../persistence/database-transactions';
import type { Order } from '../persistence/entities/order';
import { formatBeijingTime, isAlreadyPaid, type JsapiPrepayRequest, type JsapiService } from '../wechatpay-sdk';
import { confirmPaymentByQuery } from './confirm-payment-by-query';
import type { PaymentJobs } from './payment-jobs';
import type { PerOrderQueue } from './per-order-queue';
import { toClientError, wechatFailureCode, wechatFailureLog } from './wechat-failure';

export type PaymentSession = components['schemas']['PaymentSession'];

export interface PaymentSessionDeps {
  orders: OrdersRepository;
  transactions: DatabaseTransactions;
  jsapi: JsapiService;
  merchant: { appId: string; mchId: string; notifyUrl: string };
  metrics: Metrics;
  logger: Logger;
  clock: () => Date;
  /** The stored parameters are answered again for this long (10 minutes by default). */
  reuseSeconds: number;
  /** How long a request waits for the order's row lock; longer than one WeChat call with its retries. */
  lockTimeoutMs: number;
  queue: PerOrderQueue;
  paymentJobs: PaymentJobs;
}

// PostgreSQL: lock_timeout and statement_timeout expired. Another request holds the order: try again shortly.
const LOCK_TIMEOUT_CODES = new Set(['55P03', '57014']);

function isLockTimeout(err: unknown): boolean {
  return err instanceof DriverException && LOCK_TIMEOUT_CODES.has(String(err.code));
}

/** The payer is the logged-in traveler; an openid from the client is never used, only compared. */
function assertPayerIsTraveler(traveler: Traveler, requestedOpenid: string | undefined): void {
  if (!traveler.openid) throw openidMismatch();
  if (requestedOpenid !== undefined && requestedOpenid !== traveler.openid) throw openidMismatch();
}

/** Waiters queue behind a holder that may be inside a WeChat call; the statement limit must not fire first. */
function underOrderLock<T>(deps: PaymentSessionDeps, work: (tx: DatabaseTransaction) => Promise<T>): Promise<T> {
  return deps.transactions.run(work, { lockTimeoutMs: deps.lockTimeoutMs, statementTimeoutMs: deps.lockTimeoutMs + 5000 });
}

async function lockOwnedOrder(deps: PaymentSessionDeps, tx: DatabaseTransaction, orderId: string, traveler: Traveler): Promise<Order> {
  if (!isUuid(orderId)) throw orderNotFound();
  const order = await deps.orders.lockOwned(tx, orderId, traveler.userId);
  if (!order) throw orderNotFound();
  return order;
}

function storedSessionIfFresh(order: Pick<Order, 'paymentParams' | 'paymentRequestedAt'>, now: Date, reuseSeconds: number): string | undefined {
  if (!order.paymentParams || !order.paymentRequestedAt) return undefined;
  return now.getTime() - order.paymentRequestedAt.getTime() < reuseSeconds * 1000 ? order.paymentParams : undefined;
}

/** The transaction's identity and exact body, chosen once; every later prepay call re-sends this string. */
async function prepareTransaction(deps: PaymentSessionDeps, tx: DatabaseTransaction, order: Order, traveler: Traveler): Promise<void> {
  const request: JsapiPrepayRequest = {
    appid: deps.merchant.appId,
    mchid: deps.merchant.mchId,
    description: order.description,
    out_trade_no: randomBytes(16).toString('hex'),
    time_expire: formatBeijingTime(order.lockExpireAt),
    notify_url: deps.merchant.notifyUrl,
    amount: { total: order.amount, currency: 'CNY' },
    payer: { openid: traveler.openid },
  };
  await deps.orders.update(tx, order, {
    outTradeNo: request.out_trade_no,
    prepayRequest: JSON.stringify(request),
    payerOpenid: traveler.openid,
    tradeState: 'NOTPAY',
  });
}

/**
 * A repeat answered from one plain read, without the queue, a transaction or a row lock: the stored parameters
 * are fresh and the order can still be paid. Anything else (an error to give, a renewal) takes the locked path,
 * which decides again under the lock.
 */
async function freshStoredSession(deps: PaymentSessionDeps, traveler: Traveler, orderId: string): Promise<string | undefined> {
  if (!isUuid(orderId)) return undefined;
  const order = await deps.orders.findOwnedSession(orderId, traveler.userId);
  if (!order) return undefined;
  const now = deps.clock();
  try {
    assertOrderCanBePaid(order, now);
  } catch {
    return undefined;
  }
  return storedSessionIfFresh(order, now, deps.reuseSeconds);
}

type SessionStep = { done: string } | { order: Order };

/** Phase 1: validate under the row lock; answer stored parameters, or commit the out_trade_no before calling WeChat. */
async function reuseOrPrepare(deps: PaymentSessionDeps, orderId: string, traveler: Traveler): Promise<SessionStep> {
  return underOrderLock(deps, async (tx) => {
    const order = await lockOwnedOrder(deps, tx, orderId, traveler);
    const now = deps.clock();
    assertOrderCanBePaid(order, now);
    const stored = storedSessionIfFresh(order, now, deps.reuseSeconds);
    if (stored) return { done: stored };
    if (!order.outTradeNo) {
      await prepareTransaction(deps, tx, order, traveler);
      await deps.orders.recordEvent(tx, order, { event: 'transaction_prepared', source: 'api', now, detail: { out_trade_no: order.outTradeNo } });
    }
    return { order };
  });
}

/**
 * Phase 2: under the row lock again, call WeChat Pay with the stored body and save what it answered.
 * Holding the lock over the call makes concurrent requests wait and then reuse this answer: one upstream call.
 */
async function requestPrepay(deps: PaymentSessionDeps, orderId: string, traveler: Traveler): Promise<{ params: string; created: boolean }> {
  return underOrderLock(deps, async (tx) => {
    const order = await lockOwnedOrder(deps, tx, orderId, traveler);
    assertOrderCanBePaid(order, deps.clock());
    const stored = storedSessionIfFresh(order, deps.clock(), deps.reuseSeconds);
    if (stored) return { params: stored, created: false };
    const request = JSON.parse(order.prepayRequest as string) as JsapiPrepayRequest;
    // The answer is verified (signature, timestamp, serial) before it resolves.
    const { prepayId, requestId } = await deps.jsapi.createJsapiPrepay(request);
    const now = deps.clock();
    const renewal = Boolean(order.wechatPrepayId);
    const params = JSON.stringify(deps.jsapi.buildMiniProgramPayment(prepayId, now));
    await deps.orders.update(tx, order, { wechatPrepayId: prepayId, paymentParams: params, paymentRequestedAt: now, tradeState: 'NOTPAY' });
    await deps.orders.recordEvent(tx, order, {
      event: renewal ? 'session_renewed' : 'session_created',
      source: 'api',
      now,
      detail: { out_trade_no: order.outTradeNo, prepay_id: prepayId, wechat_request_id: requestId },
    });
    return { params, created: true };
  });
}

async function handleWechatFailure(deps: PaymentSessionDeps, traveler: Traveler, orderId: string, err: unknown): Promise<never> {
  const code = wechatFailureCode(err);
  if (code === 'UNEXPECTED') throw err;
  deps.metrics.sessionWechatError.inc({ code });
  deps.logger.error({ ...wechatFailureLog(err), orderId, openid: maskOpenid(traveler.openid) }, 'WeChat Pay prepay failed');
  if (isAlreadyPaid(err)) await confirmPaymentByQuery(deps, orderId);
  throw toClientError(err);
}

/** WeChat's rule: never rely on the notification alone. If the chain cannot be queued, expiry still asks WeChat. */
async function startReconciling(deps: PaymentSessionDeps, orderId: string): Promise<void> {
  await deps.paymentJobs.startReconciling(orderId).catch((err: unknown) => deps.logger.warn({ err, orderId }, 'reconciler not scheduled for this session'));
}

/**
 * Turns a pending order into `wx.requestPayment` parameters: one WeChat Pay transaction per order. Answers the
 * stored JSON text, so every repeat gets the same bytes.
 */
export async function createPaymentSession(deps: PaymentSessionDeps, traveler: Traveler, request: { order_id: string; openid?: string }): Promise<string> {
  assertPayerIsTraveler(traveler, request.openid);
  const stored = await freshStoredSession(deps, traveler, request.order_id);
  if (stored) {
    deps.metrics.sessionDuplicate.inc();
    return stored;
  }
  try {
    const outcome = await deps.queue.run(request.order_id, async () => {
      const first = await reuseOrPrepare(deps, request.order_id, traveler);
      return 'done' in first ? { params: first.done, created: false } : requestPrepay(deps, request.order_id, traveler);
    });
    (outcome.created ? deps.metrics.sessionCreated : deps.metrics.sessionDuplicate).inc();
    if (outcome.created) await startReconciling(deps, request.order_id);
    return outcome.params;
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (isLockTimeout(err)) throw paymentInProgress(1);
    return handleWechatFailure(deps, traveler, request.order_id, err);
  }
}
