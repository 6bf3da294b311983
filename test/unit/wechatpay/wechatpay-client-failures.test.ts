import {
  WechatPayApiError,
  WechatPayNetworkError,
  WechatPayTimeoutError,
  WechatPayVerificationError,
  isOutcomeUnknown,
  isRetryable,
} from '../../../src/wechatpay-sdk/core/errors';
import { errorBody, expectSignedByMerchant, fixedNow, now, prepayAnswer, prepayRequest, signed, useClientHarness } from './helpers/client-under-test';
import { destroyConnection, signedReply, silentReply, startTestServer, unsignedReply } from './helpers/start-test-server';
import { PUBLIC_KEY_ID, generateRsaKeyPair } from './helpers/test-credentials';

const harness = useClientHarness();
const prepay = () => harness.client().createJsapiPrepay(prepayRequest);
const failureOf = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (err: unknown) => err,
  );

describe('retries with identical parameters', () => {
  it('retries a 500 SYSTEM_ERROR with a byte-identical body and a fresh nonce, then succeeds', async () => {
    harness.server.replyWith(unsignedReply(500, errorBody('SYSTEM_ERROR')), signed(200, prepayAnswer));

    await expect(prepay()).resolves.toMatchObject({ prepayId: 'wx01160000000000000000000000000001' });

    const [first, second] = harness.server.requests;
    expect(harness.server.requests).toHaveLength(2);
    expect(second!.rawBody.equals(first!.rawBody)).toBe(true);
    expect(expectSignedByMerchant(second!).nonce).not.toBe(expectSignedByMerchant(first!).nonce);
  });

  it('retries a 429 rate limit', async () => {
    harness.server.replyWith(unsignedReply(429, errorBody('FREQUENCY_LIMITED')), signed(200, prepayAnswer));
    await expect(prepay()).resolves.toMatchObject({ prepayId: expect.any(String) });
    expect(harness.server.requests).toHaveLength(2);
  });

  it('gives up after two retries of a 503, with the error of the last answer', async () => {
    harness.server.replyWith(unsignedReply(503, errorBody('SERVICE_UNAVAILABLE')));
    const failure = await failureOf(prepay());

    expect(failure).toBeInstanceOf(WechatPayApiError);
    expect(failure).toMatchObject({ status: 503, normalizedCode: 'SERVICEUNAVAILABLE' });
    expect(isOutcomeUnknown(failure)).toBe(true);
    expect(harness.server.requests).toHaveLength(3);
  });

  it('does not retry a 400 PARAM_ERROR and keeps its code, message and Request-ID', async () => {
    harness.server.replyWith(
      unsignedReply(400, errorBody('PARAM_ERROR', '输入源"/body/amount/total"映射到值字段"总金额"规则校验失败'), '08F5ERR400-268435461'),
    );
    const failure = await failureOf(prepay());

    expect(failure).toBeInstanceOf(WechatPayApiError);
    expect(failure).toMatchObject({
      status: 400,
      code: 'PARAM_ERROR',
      normalizedCode: 'PARAMERROR',
      requestId: '08F5ERR400-268435461',
      operation: 'jsapi_prepay',
    });
    expect((failure as Error).message).toContain('总金额');
    expect(isRetryable(failure)).toBe(false);
    expect(harness.server.requests).toHaveLength(1);
  });

  it('does not retry a 500 whose code is not transient (OPENID_MISMATCH)', async () => {
    harness.server.replyWith(unsignedReply(500, errorBody('OPENID_MISMATCH')));
    await expect(prepay()).rejects.toMatchObject({ status: 500, normalizedCode: 'OPENIDMISMATCH' });
    expect(harness.server.requests).toHaveLength(1);
  });
});

describe('timeouts and broken connections', () => {
  it('turns a silent server into a WechatPayTimeoutError after timeoutMs, without retrying it', async () => {
    harness.server.replyWith(silentReply);
    const startedAt = Date.now();
    const failure = await failureOf(harness.client('public_key', { timeoutMs: 300 }).createJsapiPrepay(prepayRequest));

    expect(failure).toBeInstanceOf(WechatPayTimeoutError);
    expect(failure).toMatchObject({ operation: 'jsapi_prepay', timeoutMs: 300 });
    expect(Date.now() - startedAt).toBeLessThan(2000);
    expect(isOutcomeUnknown(failure)).toBe(true);
    expect(isRetryable(failure)).toBe(false);
    expect(harness.server.requests).toHaveLength(1);
  });

  it('turns a destroyed connection into a WechatPayNetworkError once the retries are spent', async () => {
    harness.server.replyWith(destroyConnection);
    const failure = await failureOf(prepay());

    expect(failure).toBeInstanceOf(WechatPayNetworkError);
    expect(failure).toMatchObject({ causeCode: expect.any(String) });
    expect(isOutcomeUnknown(failure)).toBe(true);
    expect(harness.server.requests).toHaveLength(3);
  });

  it('turns a refused connection into a WechatPayNetworkError naming ECONNREFUSED', async () => {
    const closed = await startTestServer();
    await closed.close();
    const failure = await failureOf(harness.client('public_key', { payBaseUrl: closed.baseUrl }).createJsapiPrepay(prepayRequest));

    expect(failure).toBeInstanceOf(WechatPayNetworkError);
    expect(failure).toMatchObject({ causeCode: 'ECONNREFUSED' });
  });

  it('recovers when a reset connection is followed by an answer', async () => {
    harness.server.replyWith(destroyConnection, signed(200, prepayAnswer));
    await expect(prepay()).resolves.toMatchObject({ prepayId: expect.any(String) });
  });

  it('logs each failed attempt with its kind', async () => {
    harness.server.replyWith(destroyConnection, signed(200, prepayAnswer));
    await prepay();
    expect(harness.logLines).toContainEqual(expect.objectContaining({ operation: 'jsapi_prepay', attempt: 1, failure: 'network_error' }));
    expect(harness.logLines).toContainEqual(expect.objectContaining({ operation: 'jsapi_prepay', attempt: 2, status: 200 }));
  });
});

describe('answers that fail verification (never retried: the request reached WeChat)', () => {
  it('refuses an unsigned 200 as forged', async () => {
    harness.server.replyWith(unsignedReply(200, prepayAnswer));
    const failure = await failureOf(prepay());

    expect(failure).toBeInstanceOf(WechatPayVerificationError);
    expect(failure).toMatchObject({ reason: 'missing_headers', status: 200 });
    expect(isOutcomeUnknown(failure)).toBe(true);
    expect(harness.server.requests).toHaveLength(1);
  });

  it.each([
    ['unknown_serial', { 'Wechatpay-Serial': 'PUB_KEY_ID_0114232134912410000000000000000999' }],
    ['probe', { 'Wechatpay-Signature': 'WECHATPAY/SIGNTEST/MTIzNDU2Nzg5MA==' }],
    ['stale_timestamp', { 'Wechatpay-Timestamp': String(fixedNow.getTime() / 1000 - 301) }],
  ])('refuses a 200 with %s', async (reason, overrides) => {
    harness.server.replyWith(signed(200, prepayAnswer, overrides));
    await expect(prepay()).rejects.toMatchObject({ name: 'WechatPayVerificationError', reason, requestId: '08F5TEST200-0' });
  });

  it('refuses a 200 signed by a key that is not WeChat Pay’s', async () => {
    harness.server.replyWith(signedReply(200, prepayAnswer, { privateKeyPem: generateRsaKeyPair().privateKeyPem, serial: PUBLIC_KEY_ID }, now));
    await expect(prepay()).rejects.toMatchObject({ name: 'WechatPayVerificationError', reason: 'bad_signature' });
  });
});
