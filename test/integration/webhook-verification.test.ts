import { createPrivateKey } from 'node:crypto';
import { generateAlphanumeric, generateHex } from '../../sandbox/pay-api/generate-wechat-ids';
import { unixSeconds } from '../../src/wechatpay-sdk/core/auth/signature';
import { metricIncrease } from './helpers/metrics';
import {
  buildNotification,
  createOrderAwaitingPayment,
  deliverNotification,
  paidTransaction,
  rewriteEnvelope,
  startOfNextSecond,
  type BuiltNotification,
} from './helpers/notifications';
import { readPaymentRecords, webhookRows } from './helpers/payment-records';
import { forgedSignature, probeSignature, signNotification, strangerKey, type NotificationHeaders } from './helpers/notification-signing';
import { startTestStack, type TestStack } from './helpers/test-stack';

/** What goes on the wire: the body bytes and the headers. */
interface Delivery {
  body: string;
  headers: NotificationHeaders;
}

/** Turns a correct notification (and the transaction inside it) into what a test sends instead. */
type Breakage = (stack: TestStack, notification: BuiltNotification, transaction: Record<string, unknown>) => Delivery | Promise<Delivery>;

const signedWith =
  (options: Parameters<typeof signNotification>[2]): Breakage =>
  (stack, { body }) => ({ body, headers: signNotification(stack, body, options) });

/** A timestamp `offsetSeconds` from now, taken at the start of a second so the API reads the same skew. */
const signedAtOffset =
  (offsetSeconds: number): Breakage =>
  async (stack, { body }) => {
    await startOfNextSecond(stack);
    return { body, headers: signNotification(stack, body, { timestamp: unixSeconds(new Date(stack.clock.now().getTime() + offsetSeconds * 1000)) }) };
  };

const signedThenRewritten =
  (rewrite: (body: string) => string): Breakage =>
  (stack, { body }) => ({ body: rewrite(body), headers: signNotification(stack, body) });

const rewrittenThenSigned =
  (rewrite: (envelope: Record<string, Record<string, unknown>>) => void): Breakage =>
  (stack, notification) => {
    const { body } = rewriteEnvelope(notification, rewrite);
    return { body, headers: signNotification(stack, body) };
  };

const withoutHeader =
  (name: string): Breakage =>
  (stack, { body }) => {
    const { [name]: _removed, ...headers } = signNotification(stack, body);
    return { body, headers };
  };

/** JSON with every non-ASCII character written as `\uXXXX`: the same value, other bytes. */
const escapeNonAscii = (json: string) => json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const refusals: [string, string, Breakage][] = [
  ['a forged signature', 'bad_signature', signedWith({ signature: forgedSignature() })],
  [
    'a signature by a key WeChat Pay never issued',
    'bad_signature',
    (stack, { body }) => ({ body, headers: signNotification(stack, body, { key: strangerKey() }) }),
  ],
  [
    'a signature by the merchant key',
    'bad_signature',
    (stack, { body }) => ({ body, headers: signNotification(stack, body, { key: createPrivateKey(stack.sandbox.credentials.merchant.privateKeyPem) }) }),
  ],
  ['a timestamp 301 s old', 'stale_timestamp', signedAtOffset(-301)],
  ['a timestamp 301 s ahead', 'stale_timestamp', signedAtOffset(301)],
  [
    'an unknown PUB_KEY_ID serial',
    'unknown_serial',
    (stack, { body }) => ({ body, headers: signNotification(stack, body, { serial: `PUB_KEY_ID_01${generateAlphanumeric(30)}` }) }),
  ],
  [
    'an unknown platform certificate serial',
    'unknown_serial',
    (stack, { body }) => ({ body, headers: signNotification(stack, body, { key: 'platform-certificate', serial: generateHex(20).toUpperCase() }) }),
  ],
  ['a signature probe (WECHATPAY/SIGNTEST/…)', 'probe', signedWith({ signature: probeSignature() })],
  [
    'a body tampered with after signing',
    'bad_signature',
    signedThenRewritten((body) => body.replace('"TRANSACTION.SUCCESS"', '"TRANSACTION.SUCCESS" ').replace('支付成功', '支付成功!')),
  ],
  [
    'a body re-serialised after signing (JSON.stringify(JSON.parse(body)))',
    'bad_signature',
    (stack, { body }) => {
      const sent = escapeNonAscii(body);
      return { body: JSON.stringify(JSON.parse(sent)), headers: signNotification(stack, sent) };
    },
  ],
  [
    'a wrong associated data (AAD)',
    'decrypt_failed',
    rewrittenThenSigned((envelope) => Object.assign(envelope.resource as object, { associated_data: 'certificate' })),
  ],
  [
    'a ciphertext tampered with before signing',
    'decrypt_failed',
    rewrittenThenSigned((envelope) => {
      const bytes = Buffer.from(String(envelope.resource?.ciphertext), 'base64');
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      Object.assign(envelope.resource as object, { ciphertext: bytes.toString('base64') });
    }),
  ],
  [
    'a resource encrypted with another APIv3 key',
    'decrypt_failed',
    (stack, _notification, transaction) => {
      const { body } = buildNotification(stack, transaction, generateAlphanumeric(32));
      return { body, headers: signNotification(stack, body) };
    },
  ],
  ['no Wechatpay-Timestamp', 'missing_headers', withoutHeader('Wechatpay-Timestamp')],
  ['no Wechatpay-Nonce', 'missing_headers', withoutHeader('Wechatpay-Nonce')],
  ['no Wechatpay-Signature', 'missing_headers', withoutHeader('Wechatpay-Signature')],
  ['no Wechatpay-Serial', 'missing_headers', withoutHeader('Wechatpay-Serial')],
];

describe('POST /payments/wechat/notify: verification', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  /** A pending order and a correctly built TRANSACTION.SUCCESS about it, not yet sent. */
  async function successNotification() {
    const { stored } = await createOrderAwaitingPayment(stack);
    const transaction = paidTransaction(stack, stored);
    return { stored, transaction, notification: buildNotification(stack, transaction) };
  }

  describe.each(refusals)('given %s', (_name, reason, breakage) => {
    it(`answers 401 {"code":"FAIL"}, writes nothing and counts the refusal under reason=${reason}`, async () => {
      const { stored, notification, transaction } = await successNotification();
      const { body, headers } = await breakage(stack, notification, transaction);

      let answer: Awaited<ReturnType<typeof deliverNotification>> | undefined;
      const increase = await metricIncrease(stack, 'payments_notification_rejected_total', { reason }, async () => {
        answer = await deliverNotification(stack, body, headers);
      });

      expect(answer?.status).toBe(401);
      expect(answer?.body).toMatchObject({ code: 'FAIL' });
      expect(increase).toBe(1);
      const records = await readPaymentRecords(stack, stored);
      expect(records.order).toMatchObject({ status: 'pending', tradeState: 'NOTPAY', paidAfterCancel: false });
      expect(webhookRows(records)).toEqual([]);
      expect(records.notifications).toEqual([]);
    });
  });

  describe.each([
    ['a timestamp 300 s old', -300],
    ['a timestamp 300 s ahead', 300],
  ])('given %s (the edge of the window)', (_name, offsetSeconds) => {
    it('accepts the notification and pays the order', async () => {
      const { stored, notification } = await successNotification();
      const { body, headers } = await signedAtOffset(offsetSeconds)(stack, notification, {});
      expect((await deliverNotification(stack, body, headers)).status).toBe(204);
      expect((await readPaymentRecords(stack, stored)).order.status).toBe('paid');
    });
  });

  describe('given a signed body over the 64 KB limit', () => {
    it('answers 413 {"code":"FAIL"} (a client error, never a 5xx) and writes nothing', async () => {
      const { stored, notification, transaction } = await successNotification();
      const { body, headers } = await rewrittenThenSigned((envelope) => Object.assign(envelope, { padding: 'x'.repeat(70 * 1024) }))(
        stack,
        notification,
        transaction,
      );

      const answer = await deliverNotification(stack, body, headers);

      expect({ status: answer.status, code: answer.body?.code }).toEqual({ status: 413, code: 'FAIL' });
      const records = await readPaymentRecords(stack, stored);
      expect(records.order.status).toBe('pending');
      expect(records.notifications).toEqual([]);
    });
  });

  describe('given a body with \\u escapes delivered exactly as signed', () => {
    it('accepts it: the raw bytes are verified, not a re-serialisation', async () => {
      const { stored, notification } = await successNotification();
      const body = escapeNonAscii(notification.body);
      expect(body).not.toBe(notification.body);
      expect((await deliverNotification(stack, body, signNotification(stack, body))).status).toBe(204);
      expect((await readPaymentRecords(stack, stored)).order.status).toBe('paid');
    });
  });
});
