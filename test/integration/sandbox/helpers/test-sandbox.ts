import { randomBytes } from 'node:crypto';
import { createSandboxCredentials, deriveOpenid, startSandbox, type RunningSandbox, type SandboxCredentials, type SandboxOptions } from '../../../../sandbox';
import { paySignMessage, signSha256WithRsa, unixSeconds } from '../../../../src/wechatpay-sdk/core/auth/signature';
import { callWechatPay, type WechatPayAnswer, type WechatPayCall } from './sandbox-merchant-client';

let sharedCredentials: SandboxCredentials | undefined;

/** One credential set per test file: generating RSA keys and certificates takes about a second. */
export function testCredentials(): SandboxCredentials {
  sharedCredentials ??= createSandboxCredentials();
  return sharedCredentials;
}

export interface TestSandbox {
  sandbox: RunningSandbox;
  credentials: SandboxCredentials;
  call(call: WechatPayCall): Promise<WechatPayAnswer>;
  control<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  prepay(overrides?: Record<string, unknown>, now?: () => Date): Promise<WechatPayAnswer>;
  requestPayment(prepayId: string, extra?: Record<string, unknown>): Promise<{ status: number; body: { errMsg: string } }>;
}

export function uniqueOutTradeNo(): string {
  return `T${Date.now()}${randomBytes(4).toString('hex')}`;
}

/** The prepay body a well-behaved merchant sends; overrides replace top-level fields. */
export function prepayBody(credentials: SandboxCredentials, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    appid: credentials.appId,
    mchid: credentials.mchId,
    description: '上海-杭州 G7501 二等座',
    out_trade_no: uniqueOutTradeNo(),
    // a closed loopback port: deliveries fail fast and never leave the machine
    notify_url: 'http://127.0.0.1:9/payments/wechat/notify',
    amount: { total: 5530, currency: 'CNY' },
    payer: { openid: deriveOpenid(credentials.appId, 'alice') },
    ...overrides,
  };
}

/** What the backend hands the mini program for wx.requestPayment, signed with the merchant key. */
export function payParameters(credentials: SandboxCredentials, prepayId: string): Record<string, string> {
  const timeStamp = unixSeconds(new Date());
  const nonceStr = randomBytes(16).toString('hex');
  const packageValue = `prepay_id=${prepayId}`;
  const paySign = signSha256WithRsa(paySignMessage(credentials.appId, timeStamp, nonceStr, packageValue), credentials.merchant.privateKeyPem);
  return { appId: credentials.appId, timeStamp, nonceStr, package: packageValue, signType: 'RSA', paySign };
}

export async function startTestSandbox(options: Partial<SandboxOptions> = {}): Promise<TestSandbox> {
  const credentials = options.credentials ?? testCredentials();
  const sandbox = await startSandbox({ port: 0, timeScale: 0.001, ...options, credentials });
  const control = async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sandbox.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
  };
  return {
    sandbox,
    credentials,
    call: (call) => callWechatPay(sandbox, credentials, call),
    control,
    prepay: (overrides = {}, now) =>
      callWechatPay(sandbox, credentials, { method: 'POST', path: '/v3/pay/transactions/jsapi', body: prepayBody(credentials, overrides), now }),
    requestPayment: (prepayId, extra = {}) =>
      control<{ errMsg: string }>('POST', '/sandbox/request-payment', { ...payParameters(credentials, prepayId), ...extra }),
  };
}
