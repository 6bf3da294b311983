import { DriverException, LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import type { components } from '../../generated/api';
import type { Traveler } from '../auth/traveler-tokens';
import type { WechatPaySettings } from '../config/env';
import { AppError, openidMismatch, orderNotFound, paymentInProgress } from '../errors/app-error';
import { maskOpenid, type Logger } from '../observability/logger';
import { isUuid } from '../orders/is-uuid';
import type { Metrics } from '../observability/metrics';
import { Order } from '../persistence/entities/order';
import { isAlreadyPaid } from '../wechatpay/wechatpay-errors';
import type { JsapiPrepayRequest, WechatPayGateway } from '../wechatpay/wechatpay-gateway';
import { assertOrderCanBePaid } from './assert-order-can-be-paid';
import type { PerOrderQueue } from './per-order-queue';
import { formatBeijingTime } from '../wechatpay/beijing-time';
import { recordPaidElsewhere } from './record-paid-elsewhere';
import { recordPaymentEvent } from './transition-order-status';
import { toClientError, wechatFailureCode, wechatFailureLog } from './wechat-failure';

export type PaymentSession = components['schemas']['PaymentSession'];

export interface PaymentSessionDeps {
  em: EntityManager;
  wechatPay: WechatPayGateway;
  settings: Pick<WechatPaySettings, 'appId' | 'mchId' | 'notifyUrl'>;
  metrics: Metrics;
  logger: Logger;
  now: () => Date;
  /** The card: the stored parameters are answered again for 10 minutes. */
  reuseSeconds: number;
  /** How long a request waits for the order's row lock; longer than one WeChat call with its retries. */
  lockTimeoutMs: number;
  queue: PerOrderQueue;
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

/** `SELECT … FOR UPDATE` scoped to the caller: another traveler's order is "not found", like an unknown one. */
async function lockOwnedOrder(em: EntityManager, orderId: string, traveler: Traveler, lockTimeoutMs: number): Promise<Order> {
  if (!isUuid(orderId)) throw orderNotFound();
  // Waiters queue behind a holder that may be inside a WeChat call; the statement limit must not fire first.
  await em.execute(`set local lock_timeout = ${Math.ceil(lockTimeoutMs)}`);
  await em.execute(`set local statement_timeout = ${Math.ceil(lockTimeoutMs) + 5000}`);
  const order = await em.findOne(Order, { id: orderId, userId: traveler.userId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!order) throw orderNotFound();
  return order;
}

function storedSessionIfFresh(order: Order, now: Date, reuseSeconds: number): string | undefined {
  if (!order.paymentParams || !order.paymentRequestedAt) return undefined;
  return now.getTime() - order.paymentRequestedAt.getTime() < reuseSeconds * 1000 ? order.paymentParams : undefined;
}

/** The transaction's identity and exact body, chosen once; every later prepay call re-sends this string. */
function prepareTransaction(order: Order, traveler: Traveler, settings: PaymentSessionDeps['settings']): void {
  const request: JsapiPrepayRequest = {
    appid: settings.appId,
    mchid: settings.mchId,
    description: order.description,
    out_trade_no: randomBytes(16).toString('hex'),
    time_expire: formatBeijingTime(order.lockExpireAt),
    notify_url: settings.notifyUrl,
    amount: { total: order.amount, currency: 'CNY' },
    payer: { openid: traveler.openid },
  };
  Object.assign(order, { paymentToken: request.out_trade_no, prepayRequest: JSON.stringify(request), payerOpenid: traveler.openid, paymentStatus: 'NOTPAY' });
}

type SessionStep = { done: string } | { order: Order };

/** Phase 1: validate under the row lock; answer stored parameters, or commit the out_trade_no before calling WeChat. */
async function reuseOrPrepare(deps: PaymentSessionDeps, orderId: string, traveler: Traveler): Promise<SessionStep> {
  return deps.em.fork().transactional(async (em) => {
    const order = await lockOwnedOrder(em, orderId, traveler, deps.lockTimeoutMs);
    const now = deps.now();
    assertOrderCanBePaid(order, now);
    const stored = storedSessionIfFresh(order, now, deps.reuseSeconds);
    if (stored) return { done: stored };
    if (!order.paymentToken) {
      prepareTransaction(order, traveler, deps.settings);
      recordPaymentEvent(em, order, { event: 'transaction_prepared', source: 'api', now, detail: { out_trade_no: order.paymentToken } });
    }
    return { order };
  });
}

/**
 * Phase 2: under the row lock again, call WeChat Pay with the stored body and save what it answered.
 * Holding the lock over the call makes concurrent requests wait and then reuse this answer: one upstream call.
 */
async function requestPrepay(deps: PaymentSessionDeps, orderId: string, traveler: Traveler): Promise<{ params: string; created: boolean }> {
  return deps.em.fork().transactional(async (em) => {
    const order = await lockOwnedOrder(em, orderId, traveler, deps.lockTimeoutMs);
    assertOrderCanBePaid(order, deps.now());
    const stored = storedSessionIfFresh(order, deps.now(), deps.reuseSeconds);
    if (stored) return { params: stored, created: false };
    const request = JSON.parse(order.prepayRequest as string) as JsapiPrepayRequest;
    // The client answer is verified (signature, timestamp, serial) before it resolves.
    const { prepayId, requestId } = await deps.wechatPay.createJsapiPrepay(request);
    const now = deps.now();
    const renewal = Boolean(order.wechatPrepayId);
    const params = JSON.stringify(deps.wechatPay.buildMiniProgramPayment(prepayId, now));
    Object.assign(order, { wechatPrepayId: prepayId, paymentParams: params, paymentRequestedAt: now, paymentStatus: 'NOTPAY' });
    recordPaymentEvent(em, order, {
      event: renewal ? 'session_renewed' : 'session_created',
      source: 'api',
      now,
      detail: { out_trade_no: order.paymentToken, prepay_id: prepayId, wechat_request_id: requestId },
    });
    return { params, created: true };
  });
}

/** Turns a pending order into `wx.requestPayment` parameters: one WeChat Pay transaction per order. */
export async function createPaymentSession(deps: PaymentSessionDeps, traveler: Traveler, request: { order_id: string; openid?: string }): Promise<string> {
  assertPayerIsTraveler(traveler, request.openid);
  try {
    const outcome = await deps.queue.run(request.order_id, async () => {
      const first = await reuseOrPrepare(deps, request.order_id, traveler);
      return 'done' in first ? { params: first.done, created: false } : requestPrepay(deps, request.order_id, traveler);
    });
    (outcome.created ? deps.metrics.sessionCreated : deps.metrics.sessionDuplicate).inc();
    return outcome.params;
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (isLockTimeout(err)) throw paymentInProgress(1);
    return handleWechatFailure(deps, traveler, request.order_id, err);
  }
}

async function handleWechatFailure(deps: PaymentSessionDeps, traveler: Traveler, orderId: string, err: unknown): Promise<never> {
  const code = wechatFailureCode(err);
  if (code === 'UNEXPECTED') throw err;
  deps.metrics.sessionWechatError.inc({ code });
  deps.logger.error({ ...wechatFailureLog(err), orderId, openid: maskOpenid(traveler.openid) }, 'WeChat Pay prepay failed');
  if (isAlreadyPaid(err)) await recordPaidElsewhere(deps, orderId);
  throw toClientError(err);
}
