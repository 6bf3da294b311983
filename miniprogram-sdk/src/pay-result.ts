import type { ClientErrorCode } from './payment-api-error';

/** How payOrder ended. Branch on `outcome`; each one has one clear message for the traveler. */
export type PayResult =
  /** The server says paid (WeChat Pay's signed notification arrived), or the order already was. */
  | { outcome: 'paid'; orderId: string }
  /** The traveler closed the payment sheet (`requestPayment:fail cancel`): nothing was charged, the order is still payable. */
  | { outcome: 'cancelled_by_user'; orderId: string }
  /** The payment sheet failed (`errMsg` says why), or WeChat Pay reported the order's payment failed. */
  | { outcome: 'failed'; orderId: string; errMsg?: string }
  /** The seat lock ran out: the order can no longer be paid; create a new one. */
  | { outcome: 'expired'; orderId: string }
  /** The sheet succeeded but no notification arrived before `timeoutMs`: show "processing", check again later. */
  | { outcome: 'still_pending'; orderId: string }
  /** A problem the flow cannot turn into an outcome: `code` is the problem's code (see the README's table). */
  | { outcome: 'error'; orderId: string; code: ClientErrorCode; message: string; httpStatus?: number; requestId?: string };

export type PayOutcome = PayResult['outcome'];
