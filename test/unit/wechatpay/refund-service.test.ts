import { jsapiOptionsFromSettings } from '../../../src/payments/jsapi-from-settings';
import {
  classifyRefundFailure,
  createRefundService,
  isRefundNotFound,
  WechatPayApiError,
  WechatPayMalformedResponseError,
  WechatPayTimeoutError,
  WechatPayVerificationError,
  type RefundRequest,
} from '../../../src/wechatpay-sdk';
import { errorBody, expectSignedByMerchant, now, signed } from './helpers/client-under-test';
import { startTestServer, type TestServer } from './helpers/start-test-server';
import { testSettings } from './helpers/test-credentials';

const request: RefundRequest = {
  out_trade_no: 'ORD20250601000001',
  out_refund_no: 'RF20250601000001',
  reason: '行程取消',
  notify_url: 'https://merchant.example.com/refunds/wechat/notify',
  amount: { refund: 1000, total: 55300, currency: 'CNY' },
};

const refundAnswer = (status = 'PROCESSING') =>
  JSON.stringify({
    refund_id: '50000000382019052709732678859',
    out_refund_no: request.out_refund_no,
    transaction_id: '4200000123202506011234567890',
    out_trade_no: request.out_trade_no,
    channel: 'ORIGINAL',
    user_received_account: '支付用户零钱',
    create_time: '2025-06-01T16:00:00+08:00',
    status,
    amount: { total: 55300, refund: 1000, payer_total: 55300, payer_refund: 1000, currency: 'CNY', from: [] },
  });

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

const service = () =>
  createRefundService({ ...jsapiOptionsFromSettings(testSettings(server.baseUrl, 'public_key', { timeoutMs: 400 })), clock: now, wait: async () => undefined });

describe('refund create', () => {
  describe('given a signed PROCESSING answer', () => {
    it('sends exactly JSON.stringify(request), signed by the merchant, and returns the typed refund', async () => {
      server.replyWith(signed(200, refundAnswer()));
      const { refund } = await service().createRefund(request);
      const [sent] = server.requests;
      expect([sent?.method, sent?.url, sent?.rawBody.toString('utf8')]).toEqual(['POST', '/v3/refund/domestic/refunds', JSON.stringify(request)]);
      expectSignedByMerchant(sent!);
      expect(refund).toMatchObject({ status: 'PROCESSING', refund_id: '50000000382019052709732678859', amount: { refund: 1000, total: 55300 } });
    });
  });

  describe('given a 500 SYSTEM_ERROR, then success', () => {
    it('re-sends the identical body', async () => {
      server.replyWith(signed(500, errorBody('SYSTEM_ERROR')), signed(200, refundAnswer()));
      await service().createRefund(request);
      expect(server.requests.map((r) => r.rawBody.toString('utf8'))).toEqual([JSON.stringify(request), JSON.stringify(request)]);
    });
  });

  describe('given a 2xx answer with a forged signature', () => {
    it('rejects with a verification error: the refund is not taken as accepted', async () => {
      server.replyWith(signed(200, refundAnswer(), { 'Wechatpay-Signature': Buffer.alloc(256).toString('base64') }));
      await expect(service().createRefund(request)).rejects.toBeInstanceOf(WechatPayVerificationError);
    });
  });

  describe('given a signed answer that is not a refund', () => {
    it('rejects as malformed', async () => {
      server.replyWith(signed(200, JSON.stringify({ status: 'SUCCESS' })));
      await expect(service().createRefund(request)).rejects.toBeInstanceOf(WechatPayMalformedResponseError);
    });
  });
});

describe('refund query', () => {
  describe('given an out_refund_no', () => {
    it('GETs /v3/refund/domestic/refunds/{out_refund_no}', async () => {
      server.replyWith(signed(200, refundAnswer('SUCCESS')));
      expect((await service().queryRefund('RF20250601000001')).status).toBe('SUCCESS');
      expect(server.requests[0]?.url).toBe('/v3/refund/domestic/refunds/RF20250601000001');
    });
  });

  describe('given 404 RESOURCE_NOT_EXISTS', () => {
    it('rejects with an error isRefundNotFound recognises', async () => {
      server.replyWith(signed(404, errorBody('RESOURCE_NOT_EXISTS', '退款单不存在')));
      const err = await service()
        .queryRefund('nope')
        .catch((e: unknown) => e);
      expect(isRefundNotFound(err)).toBe(true);
    });
  });
});

describe("WeChat's refund error codes", () => {
  const api = (status: number, code: string) => new WechatPayApiError('refund_create', status, code, code, undefined);
  it.each([
    ['NOT_ENOUGH', 'insufficient_balance', api(403, 'NOT_ENOUGH')],
    ['FREQUENCY_LIMITED', 'frequency_limited', api(429, 'FREQUENCY_LIMITED')],
    ['USER_ACCOUNT_ABNORMAL', 'user_account_abnormal', api(403, 'USER_ACCOUNT_ABNORMAL')],
    ['INVALID_REQUEST', 'rejected', api(400, 'INVALID_REQUEST')],
    ['PARAM_ERROR', 'rejected', api(400, 'PARAM_ERROR')],
    ['SYSTEM_ERROR', 'outcome_unknown', api(500, 'SYSTEM_ERROR')],
    ['SIGN_ERROR', 'outcome_unknown', api(401, 'SIGN_ERROR')],
    ['a timeout', 'outcome_unknown', new WechatPayTimeoutError('refund_create', 400)],
  ])('classifies %s as %s', (_label, kind, err) => {
    expect(classifyRefundFailure(err)).toBe(kind);
  });
});
