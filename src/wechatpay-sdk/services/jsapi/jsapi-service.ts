import type { WechatPaySigner } from '../../core/auth/merchant-signer';
import { requestedPublicKeyId, type WechatPayVerificationKeys } from '../../core/auth/verifier';
import { maskOpenid, type SdkHooks } from '../../core/hooks';
import { buildMiniProgramPayment } from './mini-program-payment';
import { parseWechatTransaction } from './parse-transaction';
import { DEFAULT_RETRY_POLICY, retryWechatPayCall, sleep, type RetryPolicy } from '../../core/transport/retry';
import { WechatPayMalformedResponseError } from '../../core/errors';
import type { JsapiPrepayRequest, JsapiService } from './jsapi-types';
import { WechatPayHttpTransport, type WechatPayHttpRequest } from '../../core/transport/http-transport';

/** Built objects, not PEMs (like wechatpay-go's `DialSettings`): the caller parses its keys once. */
export interface JsapiServiceOptions {
  /** `https://api.mch.weixin.qq.com`, or a server that speaks the same protocol. */
  baseUrl: string;
  /** The Mini Program appid bound to the merchant: signed into `paySign`. */
  appId: string;
  mchId: string;
  signer: WechatPaySigner;
  keys: WechatPayVerificationKeys;
  /** Timeout of each HTTP exchange. */
  timeoutMs: number;
  clock?: () => Date;
  /** Default: 2 retries, 200 ms then 400 ms. */
  retry?: RetryPolicy;
  /** Tests pass a no-op to skip the backoff. */
  wait?: (ms: number) => Promise<void>;
  hooks?: SdkHooks;
}

function parseJson(operation: string, rawBody: Buffer, requestId: string | undefined): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new WechatPayMalformedResponseError(operation, 'body is not JSON', requestId);
  }
}

/**
 * JSAPI payments (Mini Program): prepay, query, close, and the `wx.requestPayment` signature. The operations call
 * the endpoints through our transport rather than wechatpay-node-v3's `transactions_jsapi` / `query` / `close`:
 * those reorder the body (so it is no longer `JSON.stringify(request)`), drop the bare prepay_id, and sign with a
 * Math.random nonce.
 */
export function createJsapiService(options: JsapiServiceOptions): JsapiService {
  const clock = options.clock ?? (() => new Date());
  const { signer } = options;
  const transport = new WechatPayHttpTransport({
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    signer,
    keys: options.keys,
    wechatPayPublicKeyId: requestedPublicKeyId(options.keys),
    clock,
    hooks: options.hooks,
  });

  const call = (request: WechatPayHttpRequest) =>
    retryWechatPayCall(
      (attempt) => transport.send({ ...request, logContext: { ...request.logContext, attempt } }),
      options.retry ?? DEFAULT_RETRY_POLICY,
      options.wait ?? sleep,
    );

  const transactionPath = (outTradeNo: string) => `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}`;

  return {
    async createJsapiPrepay(request: JsapiPrepayRequest) {
      const operation = 'jsapi_prepay';
      const logContext = { outTradeNo: request.out_trade_no, payer: maskOpenid(request.payer.openid) };
      const response = await call({ operation, method: 'POST', path: '/v3/pay/transactions/jsapi', body: JSON.stringify(request), logContext });
      const answer = parseJson(operation, response.rawBody, response.requestId) as { prepay_id?: unknown } | null;
      if (typeof answer?.prepay_id !== 'string' || answer.prepay_id === '') {
        throw new WechatPayMalformedResponseError(operation, 'no prepay_id', response.requestId);
      }
      return { prepayId: answer.prepay_id, requestId: response.requestId };
    },

    async queryByOutTradeNo(outTradeNo: string) {
      const operation = 'query';
      const path = `${transactionPath(outTradeNo)}?mchid=${encodeURIComponent(options.mchId)}`;
      const response = await call({ operation, method: 'GET', path, logContext: { outTradeNo } });
      const transaction = parseWechatTransaction(parseJson(operation, response.rawBody, response.requestId));
      if (!transaction) throw new WechatPayMalformedResponseError(operation, 'not a transaction', response.requestId);
      return transaction;
    },

    async closeTransaction(outTradeNo: string) {
      const body = JSON.stringify({ mchid: options.mchId });
      await call({ operation: 'close', method: 'POST', path: `${transactionPath(outTradeNo)}/close`, body, logContext: { outTradeNo } });
    },

    buildMiniProgramPayment(prepayId: string, at: Date = clock()) {
      return buildMiniProgramPayment({ appId: options.appId, prepayId, now: at }, signer.sign);
    },
  };
}
