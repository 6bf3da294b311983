/** WeChat Pay v3 domestic refunds (`/v3/refund/domestic/refunds`): the request, the refund object and the port. */

/** Body of `POST /v3/refund/domestic/refunds`. Field order matters: the body sent is `JSON.stringify(request)`. */
export interface RefundRequest {
  out_trade_no: string;
  /** 1–64 characters of `[0-9A-Za-z_-|*@]`, unique per merchant: the same out_refund_no is one refund. */
  out_refund_no: string;
  /** At most 80 bytes. */
  reason?: string;
  /** Overrides the merchant platform's refund notification URL. */
  notify_url?: string;
  /** Fen; `total` is the original order amount and `refund` never exceeds it. */
  amount: { refund: number; total: number; currency: 'CNY' };
}

/** WeChat's refund status: the create answer is acceptance only; the query or the notification tells the end. */
export type WechatRefundStatus = 'SUCCESS' | 'CLOSED' | 'PROCESSING' | 'ABNORMAL';

/** The refund object answered by create and query. */
export interface WechatRefund {
  refund_id: string;
  out_refund_no: string;
  transaction_id?: string;
  out_trade_no: string;
  channel?: string;
  user_received_account?: string;
  success_time?: string;
  create_time?: string;
  status: WechatRefundStatus;
  funds_account?: string;
  amount: { total: number; refund: number; payer_total?: number; payer_refund?: number; currency?: string };
}

/** The decrypted resource of a REFUND.SUCCESS / REFUND.ABNORMAL / REFUND.CLOSED notification. */
export interface WechatRefundNotice {
  mchid: string;
  out_trade_no: string;
  transaction_id?: string;
  out_refund_no: string;
  refund_id: string;
  refund_status: WechatRefundStatus;
  success_time?: string;
  user_received_account?: string;
  amount: { total: number; refund: number; payer_total?: number; payer_refund?: number };
}

export interface RefundService {
  /**
   * Sends exactly `JSON.stringify(request)`. WeChat treats a re-sent out_refund_no as the same refund, so the caller
   * stores this request before the call and re-sends the same object after a timeout or a 5xx.
   */
  createRefund(request: RefundRequest): Promise<{ refund: WechatRefund; requestId?: string }>;
  /** `GET /v3/refund/domestic/refunds/{out_refund_no}`; an unknown one rejects with an error `isRefundNotFound` recognises. */
  queryRefund(outRefundNo: string): Promise<WechatRefund>;
}
