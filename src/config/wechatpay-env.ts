import type { EnvReader } from './env-reader';
import { readMerchantCertificates, type MerchantCertificate } from './merchant-certificates-env';
import { readWechatPayKeys } from './wechatpay-keys-env';

export type { MerchantCertificate };

/** Everything the WeChat Pay client and the login need; the same shape for the real WeChat Pay and the sandbox. */
export interface WechatPaySettings {
  appId: string;
  /** Mini Program AppSecret, for `jscode2session`. */
  appSecret: string;
  mchId: string;
  /** The merchant API certificate that signs requests and paySign. */
  merchantSerialNo: string;
  merchantCertificatePem: string;
  merchantPrivateKeyPem: string;
  /** A second merchant certificate during a certificate change: checked, not signing. */
  standbyMerchantCertificates: MerchantCertificate[];
  apiV3Key: string;
  /** WeChat Pay public key mode (`PUB_KEY_ID_…`); several while WeChat Pay rotates its key. The first is named in requests. */
  wechatPayPublicKeys: { id: string; pem: string }[];
  /** Platform certificate mode, keyed by certificate serial. Both modes may be set during a migration. */
  platformCertificates: { serial: string; pem: string }[];
  notifyUrl: string;
  /** `notify_url` of refund requests; default: notifyUrl with `/payments/wechat/notify` turned into `/refunds/wechat/notify`. */
  refundNotifyUrl?: string;
  /** `https://api.mch.weixin.qq.com` in production. */
  payBaseUrl: string;
  /** `https://api.weixin.qq.com` in production (`jscode2session`). */
  wechatApiBaseUrl: string;
  timeoutMs: number;
}

export const MERCHANT_VARIABLES = [
  'WECHAT_APP_ID',
  'WECHAT_APP_SECRET',
  'WECHATPAY_MCH_ID',
  'WECHATPAY_MERCHANT_CERT',
  'WECHATPAY_MERCHANT_PRIVATE_KEY',
  'WECHATPAY_API_V3_KEY',
  'WECHATPAY_NOTIFY_URL',
] as const;

/** Mini Program appids are `wx` and 16 lower-case hex digits; merchant ids are digits (e.g. 1900000109). */
const APP_ID = /^wx[0-9a-f]{16}$/;
const MCH_ID = /^[1-9][0-9]{7,11}$/;

function readIdentifiers(read: EnvReader): { appId: string; mchId: string } {
  const appId = read.required('WECHAT_APP_ID');
  if (appId && !APP_ID.test(appId)) read.problems.push(`WECHAT_APP_ID must be a Mini Program appid (wx and 16 hex digits), got "${appId.slice(0, 40)}"`);
  const mchId = read.required('WECHATPAY_MCH_ID');
  if (mchId && !MCH_ID.test(mchId)) read.problems.push(`WECHATPAY_MCH_ID must be a merchant id (8 to 12 digits), got "${mchId.slice(0, 40)}"`);
  return { appId, mchId };
}

const PAYMENT_NOTIFY_PATH = /\/payments\/wechat\/notify$/;

/** Where WeChat Pay sends refund notifications: the configured URL, or the payment one's sibling. */
export function refundNotifyUrlOf(settings: Pick<WechatPaySettings, 'notifyUrl' | 'refundNotifyUrl'>): string {
  return settings.refundNotifyUrl ?? settings.notifyUrl.replace(PAYMENT_NOTIFY_PATH, '/refunds/wechat/notify');
}

function readRefundNotifyUrl(read: EnvReader, notifyUrl: string, production: boolean): string | undefined {
  const refundNotifyUrl = read.string('WECHATPAY_REFUND_NOTIFY_URL');
  if (refundNotifyUrl !== undefined) {
    read.url('WECHATPAY_REFUND_NOTIFY_URL');
    if (production && URL.canParse(refundNotifyUrl) && new URL(refundNotifyUrl).protocol !== 'https:')
      read.problems.push('WECHATPAY_REFUND_NOTIFY_URL must be https:// in production (WeChat Pay notifies only HTTPS URLs)');
  } else if (notifyUrl && !PAYMENT_NOTIFY_PATH.test(notifyUrl))
    read.problems.push('WECHATPAY_REFUND_NOTIFY_URL is required when WECHATPAY_NOTIFY_URL does not end in /payments/wechat/notify');
  return refundNotifyUrl;
}

function readNotifyUrl(read: EnvReader, production: boolean): string {
  const notifyUrl = read.url('WECHATPAY_NOTIFY_URL');
  if (!notifyUrl || !URL.canParse(notifyUrl)) return notifyUrl;
  const url = new URL(notifyUrl);
  if (url.search) read.problems.push('WECHATPAY_NOTIFY_URL must not carry a query string (a WeChat Pay rule)');
  if (production && url.protocol !== 'https:') read.problems.push('WECHATPAY_NOTIFY_URL must be https:// in production (WeChat Pay notifies only HTTPS URLs)');
  return notifyUrl;
}

export function readWechatPaySettings(read: EnvReader, options: { production: boolean; now: Date }): WechatPaySettings {
  const { appId, mchId } = readIdentifiers(read);
  const merchant = readMerchantCertificates(read, options.now);
  const apiV3Key = read.required('WECHATPAY_API_V3_KEY');
  const notifyUrl = readNotifyUrl(read, options.production);
  if (apiV3Key && Buffer.byteLength(apiV3Key) !== 32) read.problems.push('WECHATPAY_API_V3_KEY must be exactly 32 bytes');

  return {
    appId,
    appSecret: read.required('WECHAT_APP_SECRET'),
    mchId,
    merchantSerialNo: merchant.signing.serialNo,
    merchantCertificatePem: merchant.signing.certificatePem,
    merchantPrivateKeyPem: merchant.signing.privateKeyPem,
    standbyMerchantCertificates: merchant.standby,
    apiV3Key,
    ...readWechatPayKeys(read),
    notifyUrl,
    refundNotifyUrl: readRefundNotifyUrl(read, notifyUrl, options.production),
    payBaseUrl: read.url('WECHATPAY_BASE_URL', 'https://api.mch.weixin.qq.com'),
    wechatApiBaseUrl: read.url('WECHAT_API_BASE_URL', 'https://api.weixin.qq.com'),
    // Capped: a session request holds the order's row lock across the call and its retries.
    timeoutMs: read.integer('WECHATPAY_TIMEOUT_MS', 5000, 100, 10000),
  };
}
