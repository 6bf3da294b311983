/**
 * The port the domain uses to talk to WeChat Pay. The real WeChat Pay and the local sandbox are two servers
 * behind the same client; the domain never sees HTTP, signatures or the library underneath.
 */

/** Body of `POST /v3/pay/transactions/jsapi`. Field order matters: the body sent is `JSON.stringify(request)`. */
export interface JsapiPrepayRequest {
  appid: string;
  mchid: string;
  description: string;
  out_trade_no: string;
  time_expire: string;
  notify_url: string;
  amount: { total: number; currency: 'CNY' };
  payer: { openid: string };
  attach?: string;
}

/** What `wx.requestPayment` needs (plus `appId`, which is signed but not passed to it). */
export interface MiniProgramPayment {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

export type WechatTradeState = 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR' | 'ACCEPT';

/** A transaction as the query answers it and as a `TRANSACTION.SUCCESS` notification carries it. */
export interface WechatTransaction {
  appid: string;
  mchid: string;
  out_trade_no: string;
  transaction_id?: string;
  trade_type?: string;
  trade_state: WechatTradeState;
  trade_state_desc?: string;
  success_time?: string;
  payer?: { openid: string };
  amount?: { total: number; payer_total?: number; currency: string; payer_currency?: string };
  attach?: string;
}

/** What the domain calls; the real WeChat Pay and the sandbox are two servers behind the same service. */
export interface JsapiService {
  /**
   * Sends exactly `JSON.stringify(request)`. WeChat accepts a re-sent out_trade_no only with byte-identical
   * parameters, so the caller stores this request and re-sends the same object after a timeout or a 5xx.
   */
  createJsapiPrepay(request: JsapiPrepayRequest): Promise<{ prepayId: string; requestId?: string }>;
  queryByOutTradeNo(outTradeNo: string): Promise<WechatTransaction>;
  /** Resolves on 204; closing twice is fine. A paid order rejects with an error `isAlreadyPaid` recognises. */
  closeTransaction(outTradeNo: string): Promise<void>;
  /** Signs a fresh `wx.requestPayment` payload for a stored prepay_id (valid 2 hours). */
  buildMiniProgramPayment(prepayId: string, now?: Date): MiniProgramPayment;
}
