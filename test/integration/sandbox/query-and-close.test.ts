import { deriveOpenid } from '../../../sandbox';
import { startTestSandbox, uniqueOutTradeNo, type TestSandbox } from './helpers/test-sandbox';

describe('sandbox WeChat Pay: query and close by out_trade_no', () => {
  let wechat: TestSandbox;
  beforeAll(async () => {
    wechat = await startTestSandbox();
  });
  afterAll(() => wechat.sandbox.close());

  const query = (outTradeNo: string, mchid = wechat.credentials.mchId) =>
    wechat.call({ method: 'GET', path: `/v3/pay/transactions/out-trade-no/${outTradeNo}?mchid=${mchid}` });
  const close = (outTradeNo: string) =>
    wechat.call({ method: 'POST', path: `/v3/pay/transactions/out-trade-no/${outTradeNo}/close`, body: { mchid: wechat.credentials.mchId } });

  describe('given an unknown out_trade_no', () => {
    it('answers 404 ORDER_NOT_EXIST', async () => {
      const answer = await query('NEVER-ORDERED');
      expect(answer.status).toBe(404);
      expect(answer.json()).toMatchObject({ code: 'ORDER_NOT_EXIST' });
    });
  });

  describe('given a query without mchid', () => {
    it('answers 400 PARAM_ERROR', async () => {
      const answer = await wechat.call({ method: 'GET', path: '/v3/pay/transactions/out-trade-no/NEVER-ORDERED' });
      expect(answer.status).toBe(400);
      expect(answer.json()).toMatchObject({ code: 'PARAM_ERROR', detail: { field: 'mchid' } });
    });
  });

  describe('given a new order', () => {
    describe('when queried', () => {
      it('answers NOTPAY; after request-payment, SUCCESS with transaction_id, success_time and payer_total', async () => {
        const outTradeNo = uniqueOutTradeNo();
        const prepayId = (await wechat.prepay({ out_trade_no: outTradeNo, attach: 'order-42' })).json().prepay_id as string;

        const before = await query(outTradeNo);
        expect(before.status).toBe(200);
        expect(before.json()).toEqual({
          appid: wechat.credentials.appId,
          mchid: wechat.credentials.mchId,
          out_trade_no: outTradeNo,
          trade_type: 'JSAPI',
          trade_state: 'NOTPAY',
          trade_state_desc: '订单未支付',
          payer: { openid: deriveOpenid(wechat.credentials.appId, 'alice') },
          amount: { total: 5530, currency: 'CNY' },
        });

        expect((await wechat.requestPayment(prepayId)).body).toEqual({ errMsg: 'requestPayment:ok' });
        const after = (await query(outTradeNo)).json();
        expect(after).toMatchObject({
          trade_state: 'SUCCESS',
          transaction_id: expect.stringMatching(/^4200\d{24}$/),
          success_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/),
          attach: 'order-42',
          amount: { total: 5530, payer_total: 5530, currency: 'CNY', payer_currency: 'CNY' },
        });
      });
    });
  });

  describe('given an unpaid order', () => {
    describe('when closed twice', () => {
      it('answers 204 both times and the query says CLOSED', async () => {
        const outTradeNo = uniqueOutTradeNo();
        await wechat.prepay({ out_trade_no: outTradeNo });
        expect((await close(outTradeNo)).status).toBe(204);
        expect((await close(outTradeNo)).status).toBe(204);
        expect((await query(outTradeNo)).json()).toMatchObject({ trade_state: 'CLOSED', trade_state_desc: '订单已关闭' });
      });
    });
  });

  describe('given a closed order', () => {
    describe('when its prepay_id is paid', () => {
      it('requestPayment fails and the order stays CLOSED', async () => {
        const outTradeNo = uniqueOutTradeNo();
        const prepayId = (await wechat.prepay({ out_trade_no: outTradeNo })).json().prepay_id as string;
        await close(outTradeNo);
        const payment = await wechat.requestPayment(prepayId);
        expect(payment.status).toBe(400);
        expect(payment.body.errMsg).toMatch(/^requestPayment:fail /);
        expect((await query(outTradeNo)).json().trade_state).toBe('CLOSED');
      });
    });
  });

  describe('given a paid order', () => {
    describe('when closed', () => {
      it('answers 403 ORDERPAID', async () => {
        const outTradeNo = uniqueOutTradeNo();
        const prepayId = (await wechat.prepay({ out_trade_no: outTradeNo })).json().prepay_id as string;
        await wechat.requestPayment(prepayId);
        const answer = await close(outTradeNo);
        expect(answer.status).toBe(403);
        expect(answer.json()).toMatchObject({ code: 'ORDERPAID' });
      });
    });
  });

  describe('given an unknown order', () => {
    describe('when closed', () => {
      it('answers 404 ORDER_NOT_EXIST', async () => {
        expect((await close('NEVER-ORDERED')).json()).toMatchObject({ code: 'ORDER_NOT_EXIST' });
      });
    });
  });
});
