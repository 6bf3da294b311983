import { createPublicKey } from 'node:crypto';
import pino from 'pino';
import type { WechatPaySettings } from '../../../../src/config/env';
import { parseAuthorization } from '../../../../src/wechatpay-sdk/core/auth/authorization-header';
import { requestSignatureMessage, verifySha256WithRsa } from '../../../../src/wechatpay-sdk/core/auth/signature';
import { jsapiOptionsFromSettings } from '../../../../src/payments/jsapi-from-settings';
import { createJsapiService } from '../../../../src/wechatpay-sdk/services/jsapi/jsapi-service';
import type { JsapiPrepayRequest, JsapiService } from '../../../../src/wechatpay-sdk/services/jsapi/jsapi-types';
import { signedReply, startTestServer, type RecordedRequest, type Reply, type TestServer } from './start-test-server';
import { MERCHANT_SERIAL, testCredentials, testSettings, type VerificationMode } from './test-credentials';

/** The client and the test server share this frozen clock, so answers are signed "now". */
export const fixedNow = new Date('2025-06-01T08:00:00Z');
export const now = () => fixedNow;
export const openid = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';

export const prepayRequest: JsapiPrepayRequest = {
  appid: 'wx0000000000000001',
  mchid: '1900000001',
  description: '上海-北京 G2 二等座',
  out_trade_no: 'ORD20250601000001',
  time_expire: '2025-06-01T16:15:00+08:00',
  notify_url: 'https://merchant.example.com/wechatpay/notify',
  amount: { total: 55300, currency: 'CNY' },
  payer: { openid },
  attach: 'order:7f0c',
};

export const prepayAnswer = JSON.stringify({ prepay_id: 'wx01160000000000000000000000000001' });

export const errorBody = (code: string, message = 'error') => JSON.stringify({ code, message });

/** An answer signed with the WeChat Pay public key, as in public-key mode. */
export const signed = (status: number, body: string, overrides?: Record<string, string>): Reply =>
  signedReply(status, body, testCredentials().wechatPayKey, now, overrides);

export interface ClientHarness {
  server: TestServer;
  logLines: Record<string, unknown>[];
  client(mode?: VerificationMode, overrides?: Partial<WechatPaySettings>): JsapiService;
}

/** A fresh test server per test, and clients pointed at it that log into `logLines` and never sleep between retries. */
export function useClientHarness(): ClientHarness {
  const logLines: Record<string, unknown>[] = [];
  let server: TestServer | undefined;
  beforeEach(async () => {
    server = await startTestServer();
    logLines.length = 0;
  });
  afterEach(() => server?.close());
  const started = () => {
    if (!server) throw new Error('the test server starts in beforeEach');
    return server;
  };
  return {
    get server() {
      return started();
    },
    logLines,
    client(mode = 'public_key', overrides = {}) {
      const logger = pino({ level: 'debug' }, { write: (line: string) => logLines.push(JSON.parse(line) as Record<string, unknown>) });
      const settings = testSettings(started().baseUrl, mode, { timeoutMs: 400, ...overrides });
      return createJsapiService({ ...jsapiOptionsFromSettings(settings), clock: now, hooks: { logger }, wait: async () => undefined });
    },
  };
}

/** What WeChat Pay checks: the Authorization signature over exactly the method, path+query and bytes received. */
export function expectSignedByMerchant(request: RecordedRequest): { nonce: string } {
  const authorization = parseAuthorization(request.headers.authorization);
  expect(authorization).toBeDefined();
  const { mchid, serial_no, timestamp, nonce_str, signature } = authorization!;
  expect({ mchid, serial_no, timestamp }).toEqual({ mchid: '1900000001', serial_no: MERCHANT_SERIAL, timestamp: String(fixedNow.getTime() / 1000) });
  expect(nonce_str).toMatch(/^[0-9A-F]{32}$/);
  const message = requestSignatureMessage(request.method, request.url, timestamp, nonce_str, request.rawBody.toString('utf8'));
  expect(verifySha256WithRsa(message, signature, createPublicKey(testCredentials().merchant.privateKeyPem))).toBe(true);
  return { nonce: nonce_str };
}
