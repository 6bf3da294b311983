import { startTestSandbox, uniqueOutTradeNo, type TestSandbox } from './helpers/test-sandbox';

interface CallsBody {
  calls: { method: string; path: string; status: number | null; at: string; requestId?: string }[];
}

describe('sandbox control API (/sandbox/…)', () => {
  let wechat: TestSandbox;
  beforeAll(async () => {
    wechat = await startTestSandbox();
  });
  afterAll(() => wechat.sandbox.close());

  describe('given WeChat calls', () => {
    it('/sandbox/calls lists them in order with status, without query strings; DELETE clears', async () => {
      await wechat.control('DELETE', '/sandbox/calls');
      const outTradeNo = uniqueOutTradeNo();
      await wechat.prepay({ out_trade_no: outTradeNo });
      await wechat.call({ method: 'GET', path: `/v3/pay/transactions/out-trade-no/${outTradeNo}?mchid=${wechat.credentials.mchId}` });
      await wechat.call({ method: 'GET', path: '/v3/certificates', tamper: { omitAuthorization: true } });
      await fetch(
        `${wechat.sandbox.url}/sns/jscode2session?appid=${wechat.credentials.appId}&secret=${wechat.credentials.appSecret}&js_code=ivy-1&grant_type=authorization_code`,
      );
      await wechat.control('GET', '/sandbox/info');

      const { body } = await wechat.control<CallsBody>('GET', '/sandbox/calls');
      expect(body.calls.map(({ method, path, status }) => ({ method, path, status }))).toEqual([
        { method: 'POST', path: '/v3/pay/transactions/jsapi', status: 200 },
        { method: 'GET', path: `/v3/pay/transactions/out-trade-no/${outTradeNo}`, status: 200 },
        { method: 'GET', path: '/v3/certificates', status: 401 },
        { method: 'GET', path: '/sns/jscode2session', status: 200 },
      ]);
      expect(body.calls[0]?.requestId).toMatch(/-0$/);
      expect(JSON.stringify(body)).not.toContain(wechat.credentials.appSecret);

      await wechat.control('DELETE', '/sandbox/calls');
      expect((await wechat.control<CallsBody>('GET', '/sandbox/calls')).body.calls).toEqual([]);
    });
  });

  describe('given an order', () => {
    it('/sandbox/transactions/{out_trade_no} returns it with the exact raw prepay bodies', async () => {
      const outTradeNo = uniqueOutTradeNo();
      const answer = await wechat.prepay({ out_trade_no: outTradeNo });
      const { status, body } = await wechat.control<{ transaction: Record<string, unknown>; prepayBodies: string[]; prepayIds: { prepayId: string }[] }>(
        'GET',
        `/sandbox/transactions/${outTradeNo}`,
      );
      expect(status).toBe(200);
      expect(body.transaction).toMatchObject({ out_trade_no: outTradeNo, trade_state: 'NOTPAY' });
      expect(JSON.parse(body.prepayBodies[0]!).out_trade_no).toBe(outTradeNo);
      expect(body.prepayIds[0]?.prepayId).toBe(answer.json().prepay_id);
      expect((await wechat.control('GET', '/sandbox/transactions/NOPE0001')).status).toBe(404);
    });
  });

  describe('given /sandbox/info', () => {
    it('answers the public identifiers and no secret', async () => {
      const { body } = await wechat.control('GET', '/sandbox/info');
      expect(body).toEqual({
        appId: wechat.credentials.appId,
        mchId: wechat.credentials.mchId,
        merchantSerialNo: wechat.credentials.merchant.serialNo,
        wechatPayPublicKeyId: wechat.credentials.wechatPayPublicKey.id,
        platformCertificateSerialNo: wechat.credentials.platformCertificate.serialNo,
        platformCertificateSerialNos: [wechat.credentials.platformCertificate.serialNo],
        signingMode: 'public-key',
      });
    });
  });

  describe('given a rotation call whose sign flag is not a boolean', () => {
    it('answers 400 and issues no certificate', async () => {
      const answer = await wechat.control('POST', '/sandbox/rotate-platform-certificate', { sign: 'yes' });
      expect(answer.status).toBe(400);
      expect((await wechat.control('GET', '/sandbox/info')).body.platformCertificateSerialNos).toEqual([wechat.credentials.platformCertificate.serialNo]);
    });
  });

  describe('given an unknown /v3 path', () => {
    it('answers a signed 404', async () => {
      const answer = await wechat.call({ method: 'GET', path: '/v3/pay/transactions/id/4200000000000000000000000000?mchid=1' });
      expect(answer.status).toBe(404);
      expect(answer.json()).toMatchObject({ code: 'NOT_FOUND' });
    });
  });
});
