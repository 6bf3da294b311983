import { createPublicKey } from 'node:crypto';
import { paySignMessage, verifySha256WithRsa } from '../../../src/wechatpay-sdk/core/auth/signature';
import { WechatPayMalformedResponseError, isAlreadyPaid, isOrderNotFound, isRetryable } from '../../../src/wechatpay-sdk/core/errors';
import { errorBody, expectSignedByMerchant, fixedNow, now, openid, prepayAnswer, prepayRequest, signed, useClientHarness } from './helpers/client-under-test';
import { signedReply, unsignedReply } from './helpers/start-test-server';
import { PUBLIC_KEY_ID, testCredentials } from './helpers/test-credentials';

const harness = useClientHarness();
const credentials = testCredentials();

describe('createJsapiPrepay', () => {
  it('sends exactly JSON.stringify(request), signed over the bytes sent, and returns the prepay_id', async () => {
    harness.server.replyWith(signed(200, prepayAnswer));

    await expect(harness.client().createJsapiPrepay(prepayRequest)).resolves.toEqual({
      prepayId: 'wx01160000000000000000000000000001',
      requestId: '08F5TEST200-0',
    });

    const [request] = harness.server.requests;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/v3/pay/transactions/jsapi');
    expect(request!.rawBody.toString('utf8')).toBe(JSON.stringify(prepayRequest));
    expect(request!.headers).toMatchObject({ accept: 'application/json', 'content-type': 'application/json', 'wechatpay-serial': PUBLIC_KEY_ID });
    expect(request!.headers['user-agent']).toMatch(/^wechat-payment-session /);
    expectSignedByMerchant(request!);
  });

  it('logs operation, status, Request-ID and duration, with the openid masked', async () => {
    harness.server.replyWith(signed(200, prepayAnswer));
    await harness.client().createJsapiPrepay(prepayRequest);

    expect(harness.logLines).toContainEqual(
      expect.objectContaining({
        operation: 'jsapi_prepay',
        status: 200,
        requestId: '08F5TEST200-0',
        durationMs: expect.any(Number),
        attempt: 1,
        payer: 'oUpF…eS6o',
      }),
    );
    expect(JSON.stringify(harness.logLines)).not.toContain(openid);
  });

  it('refuses a verified 200 without prepay_id', async () => {
    harness.server.replyWith(signed(200, '{}'));
    await expect(harness.client().createJsapiPrepay(prepayRequest)).rejects.toBeInstanceOf(WechatPayMalformedResponseError);
  });
});

describe('verification modes', () => {
  it('platform-certificate mode verifies answers signed with the platform certificate and sends no Wechatpay-Serial', async () => {
    harness.server.replyWith(signedReply(200, prepayAnswer, credentials.platform, now));
    await expect(harness.client('platform_certificate').createJsapiPrepay(prepayRequest)).resolves.toMatchObject({ prepayId: expect.any(String) });
    expect(harness.server.requests[0]!.headers['wechatpay-serial']).toBeUndefined();
  });

  it('platform-certificate mode refuses an answer signed with the public key', async () => {
    harness.server.replyWith(signed(200, prepayAnswer));
    await expect(harness.client('platform_certificate').createJsapiPrepay(prepayRequest)).rejects.toMatchObject({ reason: 'unknown_serial' });
  });

  it('combined mode accepts answers signed with either key', async () => {
    harness.server.replyWith(signedReply(200, prepayAnswer, credentials.platform, now), signed(200, prepayAnswer));
    const client = harness.client('combined');
    await expect(client.createJsapiPrepay(prepayRequest)).resolves.toMatchObject({ prepayId: expect.any(String) });
    await expect(client.createJsapiPrepay(prepayRequest)).resolves.toMatchObject({ prepayId: expect.any(String) });
    expect(harness.server.requests[1]!.headers['wechatpay-serial']).toBe(PUBLIC_KEY_ID);
  });
});

describe('queryByOutTradeNo', () => {
  const transaction = {
    appid: 'wx0000000000000001',
    mchid: '1900000001',
    out_trade_no: 'ORD-2025_06|01*A',
    trade_state: 'NOTPAY',
    trade_state_desc: '订单未支付',
  };

  it('signs the path with its query (and an encoded out_trade_no) and returns the transaction', async () => {
    harness.server.replyWith(signed(200, JSON.stringify(transaction)));

    await expect(harness.client().queryByOutTradeNo('ORD-2025_06|01*A')).resolves.toEqual(transaction);

    const [request] = harness.server.requests;
    expect(request!.method).toBe('GET');
    expect(request!.url).toBe('/v3/pay/transactions/out-trade-no/ORD-2025_06%7C01*A?mchid=1900000001');
    expect(request!.rawBody).toHaveLength(0);
    expect(request!.headers['content-type']).toBeUndefined();
    expectSignedByMerchant(request!);
  });

  it('reports an order WeChat never saw as not found, without retrying', async () => {
    harness.server.replyWith(unsignedReply(404, errorBody('ORDER_NOT_EXIST', '订单不存在')));
    const failure = await harness
      .client()
      .queryByOutTradeNo('ORD20250601000001')
      .catch((err: unknown) => err);
    expect(isOrderNotFound(failure)).toBe(true);
    expect(harness.server.requests).toHaveLength(1);
  });

  it('refuses a verified answer that is not a transaction', async () => {
    harness.server.replyWith(signed(200, JSON.stringify({ ...transaction, trade_state: 'UNHEARD_OF' })));
    await expect(harness.client().queryByOutTradeNo('ORD20250601000001')).rejects.toBeInstanceOf(WechatPayMalformedResponseError);
  });
});

describe('closeTransaction', () => {
  it('posts {"mchid":…} and accepts a signed 204 with an empty body', async () => {
    harness.server.replyWith(signed(204, ''));

    await expect(harness.client().closeTransaction('ORD20250601000001')).resolves.toBeUndefined();

    const [request] = harness.server.requests;
    expect(request!.url).toBe('/v3/pay/transactions/out-trade-no/ORD20250601000001/close');
    expect(request!.rawBody.toString('utf8')).toBe('{"mchid":"1900000001"}');
    expectSignedByMerchant(request!);
  });

  it('refuses an unsigned 204', async () => {
    harness.server.replyWith(unsignedReply(204, ''));
    await expect(harness.client().closeTransaction('ORD20250601000001')).rejects.toMatchObject({
      name: 'WechatPayVerificationError',
      reason: 'missing_headers',
    });
  });

  it.each(['ORDERPAID', 'ORDER_PAID'])('classifies %s as already paid, whatever the spelling', async (code) => {
    harness.server.replyWith(unsignedReply(403, errorBody(code, '订单已支付')));
    const failure = await harness
      .client()
      .closeTransaction('ORD20250601000001')
      .catch((err: unknown) => err);

    expect(isAlreadyPaid(failure)).toBe(true);
    expect(isRetryable(failure)).toBe(false);
    expect(harness.server.requests).toHaveLength(1);
  });
});

describe('buildMiniProgramPayment', () => {
  it('signs appId, timeStamp, nonceStr and package with the merchant key, with a fresh CSPRNG nonce each time', () => {
    const client = harness.client();
    const first = client.buildMiniProgramPayment('wx01160000000000000000000000000001', fixedNow);
    const second = client.buildMiniProgramPayment('wx01160000000000000000000000000001');

    expect(first).toMatchObject({
      appId: 'wx0000000000000001',
      timeStamp: '1748764800',
      package: 'prepay_id=wx01160000000000000000000000000001',
      signType: 'RSA',
    });
    expect(first.nonceStr).toMatch(/^[0-9A-F]{32}$/);
    expect(second.nonceStr).not.toBe(first.nonceStr);
    const message = paySignMessage(first.appId, first.timeStamp, first.nonceStr, first.package);
    expect(verifySha256WithRsa(message, first.paySign, createPublicKey(credentials.merchant.privateKeyPem))).toBe(true);
    expect(harness.logLines).toEqual([]);
  });
});
