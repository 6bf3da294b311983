import { generateKeyPairSync } from 'node:crypto';
import { startTestSandbox, type TestSandbox } from './helpers/test-sandbox';

describe('sandbox WeChat Pay: merchant Authorization', () => {
  let wechat: TestSandbox;
  const queryPath = () => `/v3/pay/transactions/out-trade-no/UNKNOWN001?mchid=${wechat.credentials.mchId}`;

  beforeAll(async () => {
    wechat = await startTestSandbox();
  });
  afterAll(() => wechat.sandbox.close());

  const expectSignError = async (answer: Promise<{ status: number; json: () => Record<string, unknown> }>, field: string) => {
    const { status, json } = await answer;
    expect(status).toBe(401);
    expect(json()).toMatchObject({ code: 'SIGN_ERROR', message: expect.any(String), detail: { field } });
  };

  describe('given a correctly signed call', () => {
    describe('when it reaches the sandbox', () => {
      it('is processed (404 for an unknown order)', async () => {
        const answer = await wechat.call({ method: 'GET', path: queryPath() });
        expect(answer.status).toBe(404);
        expect(answer.json()).toMatchObject({ code: 'ORDER_NOT_EXIST' });
      });
    });
  });

  describe('given no Authorization header', () => {
    it('answers 401 SIGN_ERROR', async () => {
      await expectSignError(wechat.call({ method: 'GET', path: queryPath(), tamper: { omitAuthorization: true } }), 'Authorization');
    });
  });

  describe('given a signature made with another key', () => {
    it('answers 401 SIGN_ERROR with what the sandbox signed', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const answer = await wechat.call({ method: 'GET', path: queryPath(), tamper: { privateKey } });
      expect(answer.status).toBe(401);
      expect(answer.json()).toMatchObject({ code: 'SIGN_ERROR', detail: { field: 'signature', sign_information: { method: 'GET', url: queryPath() } } });
    });
  });

  describe('given a body that differs from the signed one by one space', () => {
    it('answers 401 SIGN_ERROR', async () => {
      const body = JSON.stringify({ mchid: wechat.credentials.mchId });
      const path = '/v3/pay/transactions/out-trade-no/UNKNOWN001/close';
      await expectSignError(wechat.call({ method: 'POST', path, body, tamper: { signedBody: `${body} ` } }), 'signature');
    });
  });

  describe('given a signature over the path without its query string', () => {
    it('answers 401 SIGN_ERROR (the query is part of what is signed)', async () => {
      const path = queryPath();
      await expectSignError(wechat.call({ method: 'GET', path, tamper: { signedPath: path.split('?')[0] } }), 'signature');
    });
  });

  describe('given a timestamp 6 minutes old', () => {
    it('answers 401 SIGN_ERROR', async () => {
      const stale = String(Math.floor(Date.now() / 1000) - 360);
      await expectSignError(wechat.call({ method: 'GET', path: queryPath(), tamper: { timestamp: stale } }), 'timestamp');
    });
  });

  describe('given a timestamp 4 minutes old', () => {
    it('accepts the call', async () => {
      const recent = String(Math.floor(Date.now() / 1000) - 240);
      expect((await wechat.call({ method: 'GET', path: queryPath(), tamper: { timestamp: recent } })).status).toBe(404);
    });
  });

  describe('given the platform certificate serial as serial_no (not the merchant certificate)', () => {
    it('answers 401 SIGN_ERROR', async () => {
      await expectSignError(
        wechat.call({ method: 'GET', path: queryPath(), tamper: { serialNo: wechat.credentials.platformCertificate.serialNo } }),
        'serial_no',
      );
    });
  });

  describe('given another mchid in Authorization', () => {
    it('answers 401 SIGN_ERROR', async () => {
      await expectSignError(wechat.call({ method: 'GET', path: queryPath(), tamper: { mchid: '1900000109' } }), 'mchid');
    });
  });

  describe('given a 401', () => {
    it('signs the refusal itself and gives it a Request-ID ending in 268443699', async () => {
      const answer = await wechat.call({ method: 'GET', path: queryPath(), tamper: { omitAuthorization: true } });
      expect(answer.headers.get('Request-ID')).toMatch(/^[0-9A-F]+-268443699$/);
      expect(answer.headers.get('Wechatpay-Signature')).toBeTruthy();
    });
  });

  describe('given a signed call with Accept: text/html', () => {
    it('answers 400 PARAM_ERROR naming the header', async () => {
      const answer = await wechat.call({ method: 'GET', path: queryPath(), headers: { Accept: 'text/html' } });
      expect(answer.status).toBe(400);
      expect(answer.json()).toMatchObject({ code: 'PARAM_ERROR', detail: { field: 'Accept', location: 'header' } });
    });
  });

  describe('given a Wechatpay-Serial the merchant was never given', () => {
    it('answers 400 PARAM_ERROR naming the header', async () => {
      const answer = await wechat.call({ method: 'GET', path: queryPath(), headers: { 'Wechatpay-Serial': wechat.credentials.merchant.serialNo } });
      expect(answer.status).toBe(400);
      expect(answer.json()).toMatchObject({ code: 'PARAM_ERROR', detail: { field: 'Wechatpay-Serial' } });
    });
  });
});
