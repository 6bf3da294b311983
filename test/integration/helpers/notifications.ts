import { createPrivateKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { Order } from '../../../src/persistence/entities/order';
import { PaymentStatusHistory } from '../../../src/persistence/entities/payment-status-history';
import { formatBeijingTime } from '../../../src/wechatpay/beijing-time';
import { buildSuccessNotification, type BuiltNotification } from '../../../src/sandbox/build-notification';
import { generateTransactionId } from '../../../src/sandbox/generate-wechat-ids';
import { SIGNATURE_PROBE_PREFIX, createNonce, responseSignatureMessage, signSha256WithRsa, unixSeconds } from '../../../src/wechatpay/signature';
import { call, type HttpAnswer } from './http-client';
import type { TestStack } from './test-stack';
import { createPendingOrder, loginAs, requestSession, type LoggedInTraveler } from './travelers';

export type { BuiltNotification };

/** What WeChat Pay knows about an order once a session exists: read back from our own `orders` row. */
export interface StoredTransaction {
  orderId: string;
  outTradeNo: string;
  payerOpenid: string;
  amount: number;
  lockExpireAt: Date;
}

export interface OrderAwaitingPayment {
  traveler: LoggedInTraveler;
  stored: StoredTransaction;
}

export async function readStoredTransaction(stack: TestStack, orderId: string): Promise<StoredTransaction> {
  const order = await stack.api.deps.orm.em.fork().findOneOrFail(Order, { id: orderId });
  if (!order.paymentToken || !order.payerOpenid) throw new Error(`order ${orderId} has no payment session yet`);
  return { orderId, outTradeNo: order.paymentToken, payerOpenid: order.payerOpenid, amount: order.amount, lockExpireAt: order.lockExpireAt };
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

export type NotificationHeaders = Record<string, string>;

export interface SignOptions {
  /** Which of the sandbox's WeChat Pay keys signs; a KeyObject signs with a key WeChat Pay never had. */
  key?: 'public-key' | 'platform-certificate' | KeyObject;
  serial?: string;
  /** Default: the stack's clock. */
  timestamp?: string;
  /** Replaces the computed signature (forgeries, probes). */
  signature?: string;
}

/** `Wechatpay-*` headers over `timestamp\nnonce\nbody\n`, SHA256withRSA, as WeChat Pay signs notifications. */
export function signNotification(stack: TestStack, body: string, options: SignOptions = {}): NotificationHeaders {
  const { wechatPayPublicKey, platformCertificate } = stack.sandbox.credentials;
  const key = options.key ?? 'public-key';
  const privateKey = key === 'public-key' ? createPrivateKey(wechatPayPublicKey.privateKeyPem) : key === 'platform-certificate' ? createPrivateKey(platformCertificate.privateKeyPem) : key;
  const serial = options.serial ?? (key === 'platform-certificate' ? platformCertificate.serialNo : wechatPayPublicKey.id);
  const timestamp = options.timestamp ?? unixSeconds(stack.clock.now());
  const nonce = createNonce();
  return {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': options.signature ?? signSha256WithRsa(responseSignatureMessage(timestamp, nonce, body), privateKey),
    'Wechatpay-Serial': serial,
    'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
  };
}

/** A key pair WeChat Pay never issued. */
export function strangerKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

/** 256 random bytes in Base64: shaped like an RSA-2048 signature, made by nobody. */
export function forgedSignature(): string {
  return randomBytes(256).toString('base64');
}

export function probeSignature(): string {
  return `${SIGNATURE_PROBE_PREFIX}${randomBytes(192).toString('base64')}`;
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

export interface PaymentRecords {
  order: Order;
  history: PaymentStatusHistory[];
  /** Rows of `payment_notifications` about this order's out_trade_no. */
  notifications: { id: string; event_type: string; outcome: string }[];
}

export async function readPaymentRecords(stack: TestStack, stored: Pick<StoredTransaction, 'orderId' | 'outTradeNo'>): Promise<PaymentRecords> {
  const em = stack.api.deps.orm.em.fork();
  const order = await em.findOneOrFail(Order, { id: stored.orderId });
  const history = await em.find(PaymentStatusHistory, { orderId: stored.orderId }, { orderBy: { id: 'asc' } });
  const notifications: PaymentRecords['notifications'] = await em.execute('select id, event_type, outcome from payment_notifications where out_trade_no = ? order by received_at, id', [stored.outTradeNo]);
  return { order, history, notifications };
}

/** History rows the webhook wrote (sessions write theirs with source `api`). */
export const webhookRows = (records: PaymentRecords) => records.history.filter((row) => row.source === 'webhook');

/** Rows that moved an existing order to another status, oldest first (`order_created` has no from). */
export const statusChanges = (records: PaymentRecords) => records.history.filter((row) => row.fromStatus && row.fromStatus !== row.toStatus);

export const eventsNamed = (records: PaymentRecords, event: string) => records.history.filter((row) => row.event === event);

/** Waits until the order row satisfies `done` (notifications are asynchronous); returns the last records read. */
export async function waitForRecords(stack: TestStack, stored: StoredTransaction, done: (records: PaymentRecords) => boolean, timeoutMs = 2000): Promise<PaymentRecords> {
  const deadline = Date.now() + timeoutMs;
  let records = await readPaymentRecords(stack, stored);
  while (!done(records) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    records = await readPaymentRecords(stack, stored);
  }
  return records;
}

/** Current value of a counter of the API instance (0 when that label set was never incremented). */
/** Resolves just after a second boundary, so a timestamp taken now stays in the same second for the next ~900 ms. */
export async function startOfNextSecond(stack: TestStack): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1005 - (stack.clock.now().getTime() % 1000)));
}

/**
 * A real database failure for one webhook transaction: a trigger makes the first `payment_succeeded` history
 * insert of this order raise, after the claim and the status update ran in the same transaction. The counter is a
 * sequence because `nextval` survives the rollback the exception causes. Returns the cleanup.
 */
export async function failFirstPaymentSucceededInsert(stack: TestStack, orderId: string): Promise<() => Promise<void>> {
  if (!/^[0-9a-f-]{36}$/.test(orderId)) throw new Error(`not a uuid: ${orderId}`);
  const name = `webhook_fault_${orderId.replace(/-/g, '')}`;
  const connection = stack.api.deps.orm.em.getConnection();
  await connection.execute(`create sequence "${name}"`);
  await connection.execute(`create function "${name}"() returns trigger language plpgsql as $$
    begin
      if new.order_id = '${orderId}'::uuid and new.event = 'payment_succeeded' and nextval('"${name}"') = 1 then
        raise exception 'injected fault: first payment_succeeded row of order ${orderId}';
      end if;
      return new;
    end $$`);
  await connection.execute(`create trigger "${name}" before insert on payment_status_history for each row execute function "${name}"()`);
  return async () => {
    await connection.execute(`drop trigger if exists "${name}" on payment_status_history`);
    await connection.execute(`drop function if exists "${name}"()`);
    await connection.execute(`drop sequence if exists "${name}"`);
  };
}
