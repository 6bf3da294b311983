import type { WechatPaySettings } from '../config/env';
import { maskOpenid, type Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { buildMiniProgramPayment } from './build-mini-program-payment';
import { parseWechatTransaction } from './parse-wechat-transaction';
import { DEFAULT_RETRY_POLICY, retryWechatPayCall, sleep, type RetryPolicy } from './retry-wechatpay-call';
import { createVerificationKeys } from './verify-wechatpay-signature';
import { WechatPayMalformedResponseError } from './wechatpay-errors';
import type { JsapiPrepayRequest, WechatPayGateway } from './wechatpay-gateway';
import { WechatPayHttpTransport, type WechatPayHttpRequest } from './wechatpay-http-transport';
import { createWechatPayLibrary, createWechatPaySigner } from './wechatpay-request-signer';

export interface WechatPayClientDeps {
  logger: Logger;
  now?: () => Date;
  /** Default: 2 retries, 200 ms then 400 ms. */
  retry?: RetryPolicy;
  /** Tests pass a no-op to skip the backoff. */
  wait?: (ms: number) => Promise<void>;
  metrics?: Pick<Metrics, 'wechatPayCalls'>;
}

function parseJson(operation: string, rawBody: Buffer, requestId: string | undefined): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new WechatPayMalformedResponseError(operation, 'body is not JSON', requestId);
  }
}

/**
 * The WeChat Pay client behind `WechatPayGateway`. The three operations call the endpoints through our transport
 * rather than the library's `transactions_jsapi` / `query` / `close`: those reorder the body (so it is no longer
 * `JSON.stringify(request)`), drop the bare prepay_id, and sign with a Math.random nonce.
 */
export function createWechatPayClient(settings: WechatPaySettings, deps: WechatPayClientDeps): WechatPayGateway {
  const now = deps.now ?? (() => new Date());
  const library = createWechatPayLibrary(settings);
  const signer = createWechatPaySigner(library);
  const transport = new WechatPayHttpTransport({
    baseUrl: settings.payBaseUrl,
    timeoutMs: settings.timeoutMs,
    signer,
    keys: createVerificationKeys(settings),
    wechatPayPublicKeyId: settings.wechatPayPublicKey?.id,
    now,
    logger: deps.logger,
    metrics: deps.metrics,
  });
  library.createHttp(transport);

  const call = (request: WechatPayHttpRequest) =>
    retryWechatPayCall(
      (attempt) => transport.send({ ...request, logContext: { ...request.logContext, attempt } }),
      deps.retry ?? DEFAULT_RETRY_POLICY,
      deps.wait ?? sleep,
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
      const path = `${transactionPath(outTradeNo)}?mchid=${encodeURIComponent(settings.mchId)}`;
      const response = await call({ operation, method: 'GET', path, logContext: { outTradeNo } });
      const transaction = parseWechatTransaction(parseJson(operation, response.rawBody, response.requestId));
      if (!transaction) throw new WechatPayMalformedResponseError(operation, 'not a transaction', response.requestId);
      return transaction;
    },

    async closeTransaction(outTradeNo: string) {
      const body = JSON.stringify({ mchid: settings.mchId });
      await call({ operation: 'close', method: 'POST', path: `${transactionPath(outTradeNo)}/close`, body, logContext: { outTradeNo } });
    },

    buildMiniProgramPayment(prepayId: string, at: Date = now()) {
      return buildMiniProgramPayment({ appId: settings.appId, prepayId, now: at }, signer.sign);
    },
  };
}
