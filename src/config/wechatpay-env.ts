import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import type { EnvReader } from './env-reader';

/** Everything the WeChat Pay client and the login need; the same shape for the real WeChat Pay and the sandbox. */
export interface WechatPaySettings {
  appId: string;
  /** Mini Program AppSecret, for `jscode2session`. */
  appSecret: string;
  mchId: string;
  merchantSerialNo: string;
  merchantCertificatePem: string;
  merchantPrivateKeyPem: string;
  apiV3Key: string;
  /** WeChat Pay public key mode (`PUB_KEY_ID_…`). */
  wechatPayPublicKey?: { id: string; pem: string };
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

const PAYMENT_NOTIFY_PATH = /\/payments\/wechat\/notify$/;

/** Where WeChat Pay sends refund notifications: the configured URL, or the payment one's sibling. */
export function refundNotifyUrlOf(settings: Pick<WechatPaySettings, 'notifyUrl' | 'refundNotifyUrl'>): string {
  return settings.refundNotifyUrl ?? settings.notifyUrl.replace(PAYMENT_NOTIFY_PATH, '/refunds/wechat/notify');
}

export function readWechatPaySettings(read: EnvReader): WechatPaySettings {
  const certificate = read.pem('WECHATPAY_MERCHANT_CERT', read.required('WECHATPAY_MERCHANT_CERT'));
  const privateKey = read.pem('WECHATPAY_MERCHANT_PRIVATE_KEY', read.required('WECHATPAY_MERCHANT_PRIVATE_KEY'));
  let serial = read.string('WECHATPAY_MERCHANT_SERIAL_NO');
  read.check(
    'WECHATPAY_MERCHANT_CERT',
    () => {
      serial ??= new X509Certificate(certificate).serialNumber.toUpperCase();
      return true;
    },
    'is not a readable X.509 certificate',
  );
  read.check('WECHATPAY_MERCHANT_PRIVATE_KEY', () => createPrivateKey(privateKey).asymmetricKeyType === 'rsa', 'is not an RSA private key');

  const apiV3Key = read.required('WECHATPAY_API_V3_KEY');
  if (apiV3Key && Buffer.byteLength(apiV3Key) !== 32) read.problems.push('WECHATPAY_API_V3_KEY must be exactly 32 bytes');

  const publicKeyId = read.string('WECHATPAY_PUBLIC_KEY_ID');
  const publicKeyValue = read.string('WECHATPAY_PUBLIC_KEY');
  let wechatPayPublicKey: WechatPaySettings['wechatPayPublicKey'];
  if (publicKeyId || publicKeyValue) {
    if (!publicKeyId?.startsWith('PUB_KEY_ID_')) read.problems.push('WECHATPAY_PUBLIC_KEY_ID must start with PUB_KEY_ID_ when WECHATPAY_PUBLIC_KEY is set');
    const pem = read.pem('WECHATPAY_PUBLIC_KEY', publicKeyValue ?? read.required('WECHATPAY_PUBLIC_KEY'));
    read.check('WECHATPAY_PUBLIC_KEY', () => createPublicKey(pem).asymmetricKeyType === 'rsa', 'is not an RSA public key');
    wechatPayPublicKey = { id: publicKeyId ?? '', pem };
  }

  const platformCertificates = (read.string('WECHATPAY_PLATFORM_CERTS') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const pem = read.pem('WECHATPAY_PLATFORM_CERTS', entry);
      let serialNumber = '';
      read.check(
        'WECHATPAY_PLATFORM_CERTS',
        () => Boolean((serialNumber = new X509Certificate(pem).serialNumber.toUpperCase())),
        `entry "${entry.slice(0, 40)}" is not a readable X.509 certificate`,
      );
      return { serial: serialNumber, pem };
    });
  if (!wechatPayPublicKey && platformCertificates.length === 0) {
    read.problems.push(
      'set WECHATPAY_PUBLIC_KEY with WECHATPAY_PUBLIC_KEY_ID, or WECHATPAY_PLATFORM_CERTS, or both: WeChat Pay responses cannot be verified otherwise',
    );
  }

  const notifyUrl = read.url('WECHATPAY_NOTIFY_URL');
  if (notifyUrl && URL.canParse(notifyUrl) && new URL(notifyUrl).search)
    read.problems.push('WECHATPAY_NOTIFY_URL must not carry a query string (a WeChat Pay rule)');

  const refundNotifyUrl = read.string('WECHATPAY_REFUND_NOTIFY_URL');
  if (refundNotifyUrl !== undefined) read.url('WECHATPAY_REFUND_NOTIFY_URL');
  else if (notifyUrl && !PAYMENT_NOTIFY_PATH.test(notifyUrl))
    read.problems.push('WECHATPAY_REFUND_NOTIFY_URL is required when WECHATPAY_NOTIFY_URL does not end in /payments/wechat/notify');

  return {
    appId: read.required('WECHAT_APP_ID'),
    appSecret: read.required('WECHAT_APP_SECRET'),
    mchId: read.required('WECHATPAY_MCH_ID'),
    merchantSerialNo: serial ?? '',
    merchantCertificatePem: certificate,
    merchantPrivateKeyPem: privateKey,
    apiV3Key,
    wechatPayPublicKey,
    platformCertificates,
    notifyUrl,
    refundNotifyUrl,
    payBaseUrl: read.url('WECHATPAY_BASE_URL', 'https://api.mch.weixin.qq.com'),
    wechatApiBaseUrl: read.url('WECHAT_API_BASE_URL', 'https://api.weixin.qq.com'),
    // Capped: a session request holds the order's row lock across the call and its retries.
    timeoutMs: read.integer('WECHATPAY_TIMEOUT_MS', 5000, 100, 10000),
  };
}
