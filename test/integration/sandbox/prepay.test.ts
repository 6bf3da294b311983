import { deriveOpenid } from '../../../sandbox';
import { prepayBody, startTestSandbox, uniqueOutTradeNo, type TestSandbox } from './helpers/test-sandbox';

describe('sandbox WeChat Pay: POST /v3/pay/transactions/jsapi', () => {
  let wechat: TestSandbox;
  let clockOffsetMs = 0;
  const now = () => new Date(Date.now() + clockOffsetMs);

  beforeAll(async () => {
    wechat = await startTestSandbox({ clock: now });
  });
  afterAll(() => wechat.sandbox.close());
  afterEach(() => {
    clockOffsetMs = 0;
  });

  const sendRaw = (body: string) => wechat.call({ method: 'POST', path: '/v3/pay/transactions/jsapi', body, now });

  describe('given an invalid body', () => {
    const cases: [string, Record<string, unknown>, string, string][] = [
      ['amount 0', { amount: { total: 0, currency: 'CNY' } }, 'PARAM_ERROR', '/amount/total'],
      ['amount in yuan (a float)', { amount: { total: 55.3 } }, 'PARAM_ERROR', '/amount/total'],
      ['currency USD', { amount: { total: 1, currency: 'USD' } }, 'PARAM_ERROR', '/amount/currency'],
      ['a 4-byte character in description', { description: '火车票 🚄' }, 'PARAM_ERROR', '/description'],
      ['an empty description', { description: '' }, 'PARAM_ERROR', '/description'],
      ['a description of 128 characters', { description: '票'.repeat(128) }, 'PARAM_ERROR', '/description'],
      ['an out_trade_no of 5 characters', { out_trade_no: 'T1234' }, 'PARAM_ERROR', '/out_trade_no'],
      ['an out_trade_no with a dot', { out_trade_no: 'T2024.0001' }, 'PARAM_ERROR', '/out_trade_no'],
      ['an out_trade_no of 33 characters', { out_trade_no: 'T'.repeat(33) }, 'PARAM_ERROR', '/out_trade_no'],
      ['no payer openid', { payer: {} }, 'PARAM_ERROR', '/payer/openid'],
      ['a JSON null', { attach: null }, 'PARAM_ERROR', '/attach'],
      ['a nested JSON null', { amount: { total: 1, currency: null } }, 'PARAM_ERROR', '/amount/currency'],
      ['a notify_url with a query string', { notify_url: 'https://merchant.example.com/notify?order=1' }, 'PARAM_ERROR', '/notify_url'],
      ['a plain-http public notify_url', { notify_url: 'http://merchant.example.com/notify' }, 'PARAM_ERROR', '/notify_url'],
      ['a time_expire that is not RFC 3339', { time_expire: '2030-01-01 10:00:00' }, 'PARAM_ERROR', '/time_expire'],
      ['an unknown field', { total_fee: 100 }, 'PARAM_ERROR', '/total_fee'],
      ['an openid issued under another appid', { payer: { openid: deriveOpenid('wx0000000000000000', 'alice') } }, 'PARAM_ERROR', '/payer/openid'],
    ];
    it.each(cases)('with %s, answers 400 with the field in detail', async (_name, overrides, code, field) => {
      const answer = await wechat.prepay(overrides, now);
      expect(answer.status).toBe(400);
      expect(answer.json()).toMatchObject({ code, message: expect.any(String), detail: { field, location: 'body' } });
      expect(answer.headers.get('Request-ID')).toMatch(/-268(435461|501013)$/);
    });
  });

  describe('given another appid', () => {
    it('answers 400 APPID_MCHID_NOT_MATCH', async () => {
      const answer = await wechat.prepay({ appid: 'wx0000000000000000' }, now);
      expect(answer.status).toBe(400);
      expect(answer.json()).toMatchObject({ code: 'APPID_MCHID_NOT_MATCH' });
    });
  });

  describe('given a body that is not JSON', () => {
    it('answers 400 PARAM_ERROR', async () => {
      const answer = await sendRaw('{"appid":');
      expect(answer.status).toBe(400);
      expect(answer.json()).toMatchObject({ code: 'PARAM_ERROR' });
    });
  });

  describe('given a loopback http notify_url (tests)', () => {
    it('accepts the order', async () => {
      expect((await wechat.prepay({ notify_url: 'http://127.0.0.1:3000/payments/wechat/notify' }, now)).status).toBe(200);
    });
  });

  describe('given the same out_trade_no re-sent byte for byte', () => {
    it('answers 200 with the same prepay_id', async () => {
      const body = JSON.stringify(prepayBody(wechat.credentials));
      const first = await sendRaw(body);
      const second = await sendRaw(body);
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(second.json().prepay_id).toBe(first.json().prepay_id);
    });
  });

  describe('given the same parameters with another key order', () => {
    it('answers 400 INVALID_REQUEST 268498688 (bytes differ)', async () => {
      const body = prepayBody(wechat.credentials);
      await sendRaw(JSON.stringify(body));
      const { appid, ...rest } = body;
      const answer = await sendRaw(JSON.stringify({ ...rest, appid }));
      expect(answer.status).toBe(400);
      expect(answer.json()).toMatchObject({ code: 'INVALID_REQUEST', message: '请求重入时，参数与首次请求时不一致' });
      expect(answer.headers.get('Request-ID')).toMatch(/-268498688$/);
    });
  });

  describe('given the same out_trade_no with another amount', () => {
    it('answers 400 INVALID_REQUEST; the stored raw bodies show both', async () => {
      const outTradeNo = uniqueOutTradeNo();
      await wechat.prepay({ out_trade_no: outTradeNo }, now);
      const answer = await wechat.prepay({ out_trade_no: outTradeNo, amount: { total: 5531, currency: 'CNY' } }, now);
      expect(answer.json()).toMatchObject({ code: 'INVALID_REQUEST' });
      const stored = await wechat.control<{ prepayBodies: string[] }>('GET', `/sandbox/transactions/${outTradeNo}`);
      expect(stored.body.prepayBodies).toHaveLength(2);
      expect(JSON.parse(stored.body.prepayBodies[1]!).amount.total).toBe(5531);
    });
  });

  describe('given an identical re-send more than 2 hours later', () => {
    it('answers a new prepay_id; within 2 hours the same one', async () => {
      const body = JSON.stringify(prepayBody(wechat.credentials));
      const first = (await sendRaw(body)).json().prepay_id;
      clockOffsetMs = 119 * 60 * 1000;
      expect((await sendRaw(body)).json().prepay_id).toBe(first);
      clockOffsetMs = 121 * 60 * 1000;
      const renewed = (await sendRaw(body)).json().prepay_id;
      expect(renewed).not.toBe(first);
      expect(renewed).toMatch(/^wx/);
    });
  });

  describe('given a closed order', () => {
    describe('when it is ordered again', () => {
      it('answers 400 ORDER_CLOSED', async () => {
        const body = JSON.stringify(prepayBody(wechat.credentials));
        await sendRaw(body);
        const outTradeNo = JSON.parse(body).out_trade_no as string;
        const close = await wechat.call({
          method: 'POST',
          path: `/v3/pay/transactions/out-trade-no/${outTradeNo}/close`,
          body: { mchid: wechat.credentials.mchId },
          now,
        });
        expect(close.status).toBe(204);
        const answer = await sendRaw(body);
        expect(answer.status).toBe(400);
        expect(answer.json()).toMatchObject({ code: 'ORDER_CLOSED' });
      });
    });
  });

  describe('given a paid order', () => {
    describe('when it is ordered again', () => {
      it('answers 403 ORDERPAID', async () => {
        const body = JSON.stringify(prepayBody(wechat.credentials));
        const prepayId = (await sendRaw(body)).json().prepay_id as string;
        expect((await wechat.requestPayment(prepayId)).status).toBe(200);
        const answer = await sendRaw(body);
        expect(answer.status).toBe(403);
        expect(answer.json()).toMatchObject({ code: 'ORDERPAID' });
      });
    });
  });

  describe('given a time_expire in the past', () => {
    it('closes the order one minute after creation (raised to creation + 1 min)', async () => {
      const outTradeNo = uniqueOutTradeNo();
      expect((await wechat.prepay({ out_trade_no: outTradeNo, time_expire: '2020-01-01T00:00:00+08:00' }, now)).status).toBe(200);
      const query = () => wechat.call({ method: 'GET', path: `/v3/pay/transactions/out-trade-no/${outTradeNo}?mchid=${wechat.credentials.mchId}`, now });
      expect((await query()).json().trade_state).toBe('NOTPAY');
      clockOffsetMs = 61 * 1000;
      expect((await query()).json().trade_state).toBe('CLOSED');
    });
  });
});
