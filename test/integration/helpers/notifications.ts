import { formatBeijingTime } from '../../../src/wechatpay-sdk';
import { buildSuccessNotification, type BuiltNotification } from '../../../sandbox/notifications/build-notification';
import { generateTransactionId } from '../../../sandbox/pay-api/generate-wechat-ids';
import { call, type HttpAnswer } from './http-client';
import { signNotification, type NotificationHeaders } from './notification-signing';
import { readStoredTransaction, type StoredTransaction } from './payment-records';
import type { TestStack } from './test-stack';
import { createPendingOrder, loginAs, requestSession, type LoggedInTraveler } from './travelers';

/** Building notifications about a transaction and delivering them to the API, as WeChat Pay does. */

export type { BuiltNotification };

export interface OrderAwaitingPayment {
  traveler: LoggedInTraveler;
  stored: StoredTransaction;
}

/** A fresh traveler with a pending order whose WeChat Pay transaction was created (POST /payments/session). */
export async function createOrderAwaitingPayment(stack: TestStack, amount = 8800): Promise<OrderAwaitingPayment> {
  const traveler = await loginAs(stack);
  const order = await createPendingOrder(stack, traveler, { amount, description: 'G7311 seat 05A' });
  const session = await requestSession(stack, traveler, order.order_id);
  if (session.status !== 200) throw new Error(`session failed: ${session.status} ${session.text}`);
  return { traveler, stored: await readStoredTransaction(stack, order.order_id) };
}

/** The decrypted resource of TRANSACTION.SUCCESS, agreeing with our records unless `overrides` says otherwise. */
export function paidTransaction(stack: TestStack, stored: StoredTransaction, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = stack.clock.now();
  const { appId, mchId } = stack.sandbox.credentials;
  return {
    appid: appId,
    mchid: mchId,
    out_trade_no: stored.outTradeNo,
    transaction_id: generateTransactionId(now),
    trade_type: 'JSAPI',
    trade_state: 'SUCCESS',
    trade_state_desc: '支付成功',
    bank_type: 'OTHERS',
    success_time: formatBeijingTime(now),
    payer: { openid: stored.payerOpenid },
    amount: { total: stored.amount, payer_total: stored.amount, currency: 'CNY', payer_currency: 'CNY' },
    ...overrides,
  };
}

/** The envelope the sandbox itself would send, encrypted with the sandbox's APIv3 key (or `apiV3Key`). */
export function buildNotification(stack: TestStack, transaction: Record<string, unknown>, apiV3Key = stack.sandbox.credentials.apiV3Key): BuiltNotification {
  return buildSuccessNotification(transaction, apiV3Key, stack.clock.now());
}

/** Rewrites fields of an already built envelope (e.g. `resource.associated_data`), keeping its id. */
export function rewriteEnvelope(notification: BuiltNotification, rewrite: (envelope: Record<string, Record<string, unknown>>) => void): BuiltNotification {
  const envelope = JSON.parse(notification.body) as Record<string, Record<string, unknown>>;
  rewrite(envelope);
  return { id: notification.id, body: JSON.stringify(envelope) };
}

/** POSTs exactly these bytes to the notify_url, as WeChat Pay does. */
export function deliverNotification(stack: TestStack, body: string, headers: NotificationHeaders, baseUrl = stack.api.url): Promise<HttpAnswer> {
  return call(baseUrl, 'POST', '/payments/wechat/notify', { body, headers: { 'User-Agent': 'Mozilla/4.0', ...headers } });
}

/** Builds, signs and delivers a notification about `transaction`; returns its id with the answer. */
export async function notify(stack: TestStack, transaction: Record<string, unknown>): Promise<{ id: string; answer: HttpAnswer }> {
  const notification = buildNotification(stack, transaction);
  return { id: notification.id, answer: await deliverNotification(stack, notification.body, signNotification(stack, notification.body)) };
}

/** Current value of a counter of the API instance (0 when that label set was never incremented). */
/** Resolves just after a second boundary, so a timestamp taken now stays in the same second for the next ~900 ms. */
export async function startOfNextSecond(stack: TestStack): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1005 - (stack.clock.now().getTime() % 1000)));
}
