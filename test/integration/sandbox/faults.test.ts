import { SIGNATURE_PROBE_PREFIX } from '../../../src/wechatpay-sdk/core/auth/signature';
import { prepayBody, startTestSandbox, type TestSandbox } from './helpers/test-sandbox';
import { verifySandboxSignature, wechatPayKeys } from './helpers/verify-sandbox-signature';

const JSAPI = '/v3/pay/transactions/jsapi';

describe('sandbox WeChat Pay: injected faults', () => {
  let wechat: TestSandbox;
  beforeAll(async () => {
    wechat = await startTestSandbox();
  });
  afterAll(() => wechat.sandbox.close());
  afterEach(async () => {
    await wechat.control('DELETE', '/sandbox/faults');
  });

  const arm = async (fault: Record<string, unknown>) => expect((await wechat.control('POST', '/sandbox/faults', fault)).status).toBe(201);
  const stored = async (outTradeNo: string) => (await wechat.control('GET', `/sandbox/transactions/${outTradeNo}`)).status === 200;

  describe('given a 500 SYSTEM_ERROR fault', () => {
    it('fails the next call instead of processing it, and the one after succeeds', async () => {
      await arm({ path: JSAPI, status: 500 });
      const body = prepayBody(wechat.credentials);
      const failed = await wechat.call({ method: 'POST', path: JSAPI, body });
      expect(failed.status).toBe(500);
      expect(failed.json()).toEqual({ code: 'SYSTEM_ERROR', message: '系统错误' });
      expect(verifySandboxSignature(failed.headers, failed.rawBody, wechatPayKeys(wechat.credentials))).toBeUndefined();
      expect(await stored(body.out_trade_no as string)).toBe(false);
      expect((await wechat.call({ method: 'POST', path: JSAPI, body })).status).toBe(200);
    });
  });

  describe('given a 429 fault with count 2 on a prefix', () => {
    it('answers FREQUENCY_LIMITED to two calls under the prefix', async () => {
      await arm({ path: '/v3/pay/transactions/*', status: 429, count: 2 });
      const query = () => wechat.call({ method: 'GET', path: `/v3/pay/transactions/out-trade-no/NOPE0001?mchid=${wechat.credentials.mchId}` });
      expect((await query()).json()).toMatchObject({ code: 'FREQUENCY_LIMITED' });
      expect((await wechat.prepay()).status).toBe(429);
      expect((await query()).status).toBe(404);
    });
  });

  describe('given an unsigned 503 with its own code and message', () => {
    it('answers exactly that, without Wechatpay-* headers', async () => {
      await arm({ path: JSAPI, status: 503, code: 'SERVICE_UNAVAILABLE', message: 'maintenance', unsigned: true });
      const answer = await wechat.prepay();
      expect(answer.status).toBe(503);
      expect(answer.json()).toEqual({ code: 'SERVICE_UNAVAILABLE', message: 'maintenance' });
      expect(answer.headers.get('Wechatpay-Signature')).toBeNull();
      expect(answer.headers.get('Request-ID')).toBeTruthy();
    });
  });

  describe('given a method filter', () => {
    it('calls with another method do not consume the fault', async () => {
      await arm({ path: '/v3/pay/transactions/*', method: 'GET', status: 500 });
      expect((await wechat.prepay()).status).toBe(200);
      expect((await wechat.call({ method: 'GET', path: `/v3/pay/transactions/out-trade-no/NOPE0001?mchid=${wechat.credentials.mchId}` })).status).toBe(500);
    });
  });

  describe('given a delay fault', () => {
    it('processes the order but answers late: a client timeout, then an identical retry gets the same prepay_id', async () => {
      await arm({ path: JSAPI, delayMs: 400 });
      const body = prepayBody(wechat.credentials);
      await expect(wechat.call({ method: 'POST', path: JSAPI, body, signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(await stored(body.out_trade_no as string)).toBe(true);
      const retry = await wechat.call({ method: 'POST', path: JSAPI, body });
      const { body: transaction } = await wechat.control<{ prepayIds: { prepayId: string }[] }>('GET', `/sandbox/transactions/${body.out_trade_no}`);
      expect(retry.json().prepay_id).toBe(transaction.prepayIds[0]?.prepayId);
    });
  });

  describe('given a delay fault and a patient client', () => {
    it('the answer arrives after the delay', async () => {
      await arm({ path: JSAPI, delayMs: 200 });
      const started = Date.now();
      expect((await wechat.prepay()).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    });
  });

  describe('given a drop fault', () => {
    it('destroys the connection without an answer, after the order was stored', async () => {
      await arm({ path: JSAPI, drop: true });
      const body = prepayBody(wechat.credentials);
      await expect(wechat.call({ method: 'POST', path: JSAPI, body })).rejects.toThrow();
      expect(await stored(body.out_trade_no as string)).toBe(true);
      const { body: log } = await wechat.control<{ calls: { path: string; status: number | null; fault?: string }[] }>('GET', '/sandbox/calls');
      expect(log.calls.at(-1)).toMatchObject({ path: JSAPI, status: null, fault: 'drop' });
    });
  });

  describe('signature faults: the call is processed, the answer is signed wrongly', () => {
    const armAndOrder = async (flag: string) => {
      await arm({ path: JSAPI, [flag]: true });
      const answer = await wechat.prepay();
      expect(answer.status).toBe(200);
      expect(answer.json().prepay_id).toMatch(/^wx/);
      return answer;
    };

    it('badSignature: the signature does not verify', async () => {
      const answer = await armAndOrder('badSignature');
      expect(verifySandboxSignature(answer.headers, answer.rawBody, wechatPayKeys(wechat.credentials))).toBe('signature does not verify');
    });

    it('probeSignature: Wechatpay-Signature carries the WECHATPAY/SIGNTEST/ prefix', async () => {
      const answer = await armAndOrder('probeSignature');
      expect(answer.headers.get('Wechatpay-Signature')).toMatch(new RegExp(`^${SIGNATURE_PROBE_PREFIX}`));
      expect(verifySandboxSignature(answer.headers, answer.rawBody, wechatPayKeys(wechat.credentials))).toBe('signature does not verify');
    });

    it('staleTimestamp: signed 10 minutes in the past (valid signature, outside ±300 s)', async () => {
      const answer = await armAndOrder('staleTimestamp');
      expect(verifySandboxSignature(answer.headers, answer.rawBody, wechatPayKeys(wechat.credentials))).toBe('stale timestamp');
      const then = new Date(Number(answer.headers.get('Wechatpay-Timestamp')) * 1000);
      expect(verifySandboxSignature(answer.headers, answer.rawBody, wechatPayKeys(wechat.credentials), then)).toBeUndefined();
    });

    it('unknownSerial: a serial the merchant does not know (a verifier that ignores the serial would wrongly accept it)', async () => {
      const answer = await armAndOrder('unknownSerial');
      expect(verifySandboxSignature(answer.headers, answer.rawBody, wechatPayKeys(wechat.credentials))).toMatch(/^unknown serial PUB_KEY_ID_/);
    });
  });

  describe('given a fault on the login API', () => {
    it('answers errcode -1 with the fault status', async () => {
      await arm({ path: '/sns/jscode2session', status: 500 });
      const query = new URLSearchParams({
        appid: wechat.credentials.appId,
        secret: wechat.credentials.appSecret,
        js_code: 'henry-1',
        grant_type: 'authorization_code',
      });
      const response = await fetch(`${wechat.sandbox.url}/sns/jscode2session?${query}`);
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ errcode: -1 });
    });
  });

  describe('given an unusable fault', () => {
    it('answers 400 with the reason; DELETE clears armed faults', async () => {
      expect((await wechat.control('POST', '/sandbox/faults', { path: JSAPI, status: 500, drop: true })).status).toBe(400);
      expect((await wechat.control('POST', '/sandbox/faults', { path: 'jsapi', status: 500 })).status).toBe(400);
      expect((await wechat.control('POST', '/sandbox/faults', { path: JSAPI, status: 418 })).body).toMatchObject({
        message: 'code is required for status 418',
      });
      await arm({ path: JSAPI, status: 500, count: 5 });
      expect((await wechat.control<{ faults: unknown[] }>('GET', '/sandbox/faults')).body.faults).toHaveLength(1);
      await wechat.control('DELETE', '/sandbox/faults');
      expect((await wechat.prepay()).status).toBe(200);
    });
  });
});
