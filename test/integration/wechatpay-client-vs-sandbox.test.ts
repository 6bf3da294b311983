import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createSandboxCredentials, deriveOpenid, startSandbox, type RunningSandbox, type SandboxKeyMode, type SigningMode } from '../../sandbox';
import { parseWechatPayNotification, type ParsedWechatPayNotification } from '../../src/wechatpay-sdk/core/notify/parse-notification';
import { createVerificationKeys } from '../../src/wechatpay-sdk/core/auth/verifier';
import { jsapiOptionsFromSettings } from '../../src/payments/jsapi-from-settings';
import { createJsapiService } from '../../src/wechatpay-sdk/services/jsapi/jsapi-service';
import { WechatPayNetworkError, WechatPayTimeoutError, WechatPayVerificationError } from '../../src/wechatpay-sdk/core/errors';
import type { JsapiPrepayRequest, MiniProgramPayment, JsapiService } from '../../src/wechatpay-sdk/services/jsapi/jsapi-types';

/** Our production WeChat Pay client and notification parser, against the sandbox WeChat Pay over real HTTP. */

const credentials = createSandboxCredentials();
const openid = deriveOpenid(credentials.appId, 'alice');
let orderCounter = 0;

/** A merchant notify_url that runs our parser on every delivery and answers as the webhook must: 204, or 401. */
async function startNotifyUrl() {
  const parsed: ParsedWechatPayNotification[] = [];
  const keys = createVerificationKeys({
    wechatPayPublicKey: { id: credentials.wechatPayPublicKey.id, pem: credentials.wechatPayPublicKey.publicKeyPem },
    platformCertificates: [{ serial: credentials.platformCertificate.serialNo, pem: credentials.platformCertificate.certificatePem }],
  });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const result = parseWechatPayNotification({
        keys,
        apiV3Key: credentials.apiV3Key,
        headers: req.headers,
        rawBody: Buffer.concat(chunks),
        now: new Date(),
      });
      parsed.push(result);
      if (result.ok) res.writeHead(204).end();
      else res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"code":"FAIL","message":"失败"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/payments/wechat/notify`,
    parsed,
    async waitFor(count: number): Promise<ParsedWechatPayNotification[]> {
      for (const deadline = Date.now() + 5000; parsed.length < count; await new Promise((resolve) => setTimeout(resolve, 10))) {
        if (Date.now() > deadline) throw new Error(`expected ${count} notifications, got ${parsed.length}`);
      }
      return parsed;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

type NotifyUrl = Awaited<ReturnType<typeof startNotifyUrl>>;

let notifyUrl: NotifyUrl;
const sandboxes = new Map<SigningMode, RunningSandbox>();

beforeAll(async () => {
  notifyUrl = await startNotifyUrl();
  for (const signingMode of ['public-key', 'platform-certificate', 'alternate'] as const) {
    sandboxes.set(signingMode, await startSandbox({ credentials, port: 0, signingMode }));
  }
});

afterAll(async () => {
  await Promise.all([...sandboxes.values()].map((sandbox) => sandbox.close()));
  await notifyUrl.close();
});

function sandboxSigning(mode: SigningMode): RunningSandbox {
  const sandbox = sandboxes.get(mode);
  if (!sandbox) throw new Error(`no sandbox signing with ${mode}`);
  return sandbox;
}

function clientOf(sandbox: RunningSandbox, keyMode: SandboxKeyMode, timeoutMs = 3000): JsapiService {
  const settings = sandbox.wechatPaySettings({ notifyUrl: notifyUrl.url, keyMode, timeoutMs });
  return createJsapiService({ ...jsapiOptionsFromSettings(settings), hooks: { logger: pino({ level: 'silent' }) }, retry: { attempts: 2, baseDelayMs: 10 } });
}

function newOrder(total = 55300): JsapiPrepayRequest {
  orderCounter += 1;
  return {
    appid: credentials.appId,
    mchid: credentials.mchId,
    description: '上海-北京 G2 二等座',
    out_trade_no: `ITC${Date.now()}${orderCounter}`,
    time_expire: new Date(Date.now() + 15 * 60 * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    notify_url: notifyUrl.url,
    amount: { total, currency: 'CNY' },
    payer: { openid },
  };
}

async function control(sandbox: RunningSandbox, method: string, path: string, body?: unknown) {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => undefined)) as Record<string, unknown> };
}

const requestPayment = (sandbox: RunningSandbox, payment: MiniProgramPayment) => control(sandbox, 'POST', '/sandbox/request-payment', payment);

describe('given the sandbox signs with the WeChat Pay public key', () => {
  const sandbox = () => sandboxSigning('public-key');

  describe('when our client orders, queries and closes', () => {
    it('verifies every answer', async () => {
      const client = clientOf(sandbox(), 'public-key');
      const order = newOrder();

      const { prepayId } = await client.createJsapiPrepay(order);
      expect(prepayId).toMatch(/^wx/);
      await expect(client.queryByOutTradeNo(order.out_trade_no)).resolves.toMatchObject({ out_trade_no: order.out_trade_no, trade_state: 'NOTPAY' });
      await expect(client.closeTransaction(order.out_trade_no)).resolves.toBeUndefined();
      await expect(client.queryByOutTradeNo(order.out_trade_no)).resolves.toMatchObject({ trade_state: 'CLOSED' });
    });
  });

  describe('when the same order is re-sent after a lost answer', () => {
    it('accepts the byte-identical retry as the same order', async () => {
      await control(sandbox(), 'POST', '/sandbox/faults', { path: '/v3/pay/transactions/jsapi', drop: true });
      await expect(clientOf(sandbox(), 'public-key').createJsapiPrepay(newOrder())).resolves.toMatchObject({ prepayId: expect.stringMatching(/^wx/) });
    });
  });

  describe('when a merchant configured only platform certificates calls it', () => {
    it('has the answers refused as unknown_serial', async () => {
      await expect(clientOf(sandbox(), 'platform-certificate').createJsapiPrepay(newOrder())).rejects.toMatchObject({ reason: 'unknown_serial' });
    });
  });

  describe.each([
    ['badSignature', 'bad_signature'],
    ['staleTimestamp', 'stale_timestamp'],
    ['unknownSerial', 'unknown_serial'],
    ['probeSignature', 'probe'],
  ])('when the sandbox answers with %s', (fault, reason) => {
    it(`our client rejects it (${reason})`, async () => {
      await control(sandbox(), 'POST', '/sandbox/faults', { path: '/v3/pay/transactions/jsapi', [fault]: true });
      const failure = await clientOf(sandbox(), 'public-key')
        .createJsapiPrepay(newOrder())
        .catch((err: unknown) => err);

      expect(failure).toBeInstanceOf(WechatPayVerificationError);
      expect(failure).toMatchObject({ reason, requestId: expect.any(String) });
    });
  });

  describe('when the sandbox answers 500 SYSTEM_ERROR once', () => {
    it('our client retries and gets the prepay_id', async () => {
      await control(sandbox(), 'POST', '/sandbox/faults', { path: '/v3/pay/transactions/jsapi', status: 500, unsigned: true });
      await expect(clientOf(sandbox(), 'public-key').createJsapiPrepay(newOrder())).resolves.toMatchObject({ prepayId: expect.stringMatching(/^wx/) });
    });
  });

  describe('when the sandbox is slower than the timeout', () => {
    it('our client gives up with a timeout error', async () => {
      await control(sandbox(), 'POST', '/sandbox/faults', { path: '/v3/pay/transactions/jsapi', delayMs: 1500 });
      await expect(clientOf(sandbox(), 'public-key', 300).createJsapiPrepay(newOrder())).rejects.toBeInstanceOf(WechatPayTimeoutError);
    });
  });

  describe('when the connection keeps dropping', () => {
    it('our client reports a network error after its retries', async () => {
      await control(sandbox(), 'POST', '/sandbox/faults', { path: '/v3/pay/transactions/jsapi', drop: true, count: 3 });
      await expect(clientOf(sandbox(), 'public-key').createJsapiPrepay(newOrder())).rejects.toBeInstanceOf(WechatPayNetworkError);
    });
  });

  describe('when wx.requestPayment gets a tampered paySign', () => {
    it('the sandbox refuses it; the genuine one pays and notifies', async () => {
      const client = clientOf(sandbox(), 'public-key');
      const order = newOrder(8800);
      const { prepayId } = await client.createJsapiPrepay(order);
      const payment = client.buildMiniProgramPayment(prepayId);
      const before = notifyUrl.parsed.length;

      const tampered = await requestPayment(sandbox(), { ...payment, paySign: `${payment.paySign.startsWith('A') ? 'B' : 'A'}${payment.paySign.slice(1)}` });
      expect(tampered).toMatchObject({ status: 400, body: { errMsg: expect.stringContaining('支付验证签名失败') } });
      await expect(requestPayment(sandbox(), payment)).resolves.toMatchObject({ status: 200, body: { errMsg: 'requestPayment:ok' } });

      const notification = (await notifyUrl.waitFor(before + 1))[before];
      expect(notification).toMatchObject({
        ok: true,
        envelope: { event_type: 'TRANSACTION.SUCCESS' },
        transaction: {
          out_trade_no: order.out_trade_no,
          mchid: credentials.mchId,
          appid: credentials.appId,
          trade_state: 'SUCCESS',
          amount: { total: 8800 },
          payer: { openid },
        },
      });
      await expect(client.queryByOutTradeNo(order.out_trade_no)).resolves.toMatchObject({ trade_state: 'SUCCESS' });
    });
  });

  describe('when the sandbox probes our notify_url with WECHATPAY/SIGNTEST/', () => {
    it('the parser refuses it and the webhook answers 4xx', async () => {
      const order = newOrder();
      await clientOf(sandbox(), 'public-key').createJsapiPrepay(order);
      const before = notifyUrl.parsed.length;

      const probe = await control(sandbox(), 'POST', '/sandbox/probe-notification', { out_trade_no: order.out_trade_no });

      expect(probe.body).toMatchObject({ refused: true });
      expect(notifyUrl.parsed[before]).toMatchObject({ ok: false, reason: 'probe' });
    });
  });
});

describe('given the sandbox signs with a platform certificate', () => {
  describe('when a platform-certificate merchant orders and queries', () => {
    it('verifies every answer', async () => {
      const client = clientOf(sandboxSigning('platform-certificate'), 'platform-certificate');
      const order = newOrder();
      await expect(client.createJsapiPrepay(order)).resolves.toMatchObject({ prepayId: expect.stringMatching(/^wx/) });
      await expect(client.queryByOutTradeNo(order.out_trade_no)).resolves.toMatchObject({ trade_state: 'NOTPAY' });
    });
  });

  describe('when a public-key-only merchant calls it', () => {
    it('has the answers refused as unknown_serial', async () => {
      await expect(clientOf(sandboxSigning('platform-certificate'), 'public-key').createJsapiPrepay(newOrder())).rejects.toMatchObject({
        reason: 'unknown_serial',
      });
    });
  });
});

describe('given the sandbox migrates between both keys', () => {
  describe('when a merchant configured with both pays twice', () => {
    it('verifies answers and notifications signed by either key', async () => {
      const sandbox = sandboxSigning('alternate');
      const client = clientOf(sandbox, 'both');
      const before = notifyUrl.parsed.length;

      for (const order of [newOrder(100), newOrder(200)]) {
        const { prepayId } = await client.createJsapiPrepay(order);
        await expect(requestPayment(sandbox, client.buildMiniProgramPayment(prepayId))).resolves.toMatchObject({ status: 200 });
        await notifyUrl.waitFor(notifyUrl.parsed.length + 1);
      }

      const keyKinds = notifyUrl.parsed.slice(before).map((result) => (result.ok ? result.verifiedWith.keyKind : result.reason));
      expect(keyKinds.sort()).toEqual(['platform_certificate', 'wechatpay_public_key']);
    });
  });
});
