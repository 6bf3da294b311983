import { WechatPayMalformedResponseError } from '../../core/errors';
import { createServiceCall, type WechatPayServiceOptions } from '../../core/transport/service-call';
import { parseWechatRefund } from './parse-refund';
import type { RefundRequest, RefundService, WechatRefund } from './refund-types';

export type RefundServiceOptions = WechatPayServiceOptions;

const REFUNDS_PATH = '/v3/refund/domestic/refunds';

function readRefund(operation: string, rawBody: Buffer, requestId: string | undefined): WechatRefund {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new WechatPayMalformedResponseError(operation, 'body is not JSON', requestId);
  }
  const refund = parseWechatRefund(parsed);
  if (!refund) throw new WechatPayMalformedResponseError(operation, 'not a refund', requestId);
  return refund;
}

/**
 * Domestic refunds: create and query, signed and verified like the JSAPI calls (a 2xx counts only once its
 * signature verifies), with the same retries of the identical body on 429, transient 5xx and resets.
 */
export function createRefundService(options: RefundServiceOptions): RefundService {
  const call = createServiceCall(options);

  return {
    async createRefund(request: RefundRequest) {
      const operation = 'refund_create';
      const logContext = { outTradeNo: request.out_trade_no, outRefundNo: request.out_refund_no, refund: request.amount.refund };
      const response = await call({ operation, method: 'POST', path: REFUNDS_PATH, body: JSON.stringify(request), logContext });
      return { refund: readRefund(operation, response.rawBody, response.requestId), requestId: response.requestId };
    },

    async queryRefund(outRefundNo: string) {
      const operation = 'refund_query';
      const response = await call({ operation, method: 'GET', path: `${REFUNDS_PATH}/${encodeURIComponent(outRefundNo)}`, logContext: { outRefundNo } });
      return readRefund(operation, response.rawBody, response.requestId);
    },
  };
}
