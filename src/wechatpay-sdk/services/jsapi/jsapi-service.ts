import { maskOpenid } from '../../core/hooks';
import { buildMiniProgramPayment } from './mini-program-payment';
import { parseWechatTransaction } from './parse-transaction';
import { WechatPayMalformedResponseError } from '../../core/errors';
import type { JsapiPrepayRequest, JsapiService } from './jsapi-types';
import { createServiceCall, type WechatPayServiceOptions } from '../../core/transport/service-call';

export interface JsapiServiceOptions extends WechatPayServiceOptions {
  /** The Mini Program appid bound to the merchant: signed into `paySign`. */
  appId: string;
  mchId: string;
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
  const call = createServiceCall({ ...options, clock });

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
