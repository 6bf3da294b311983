import { sendApiRequest } from './api-request';
import type { PaymentSession } from './contract-types';
import type { WxLike } from './wx-like';

/** What the payment sheet ended with: `ok`, or WeChat's errMsg (`requestPayment:fail cancel` when the user backed out). */
export type PaymentSheetResult = { ok: true } | { ok: false; errMsg: string };

export type RequestPayment = (session: PaymentSession) => Promise<PaymentSheetResult>;

export function isCancelledByUser(errMsg: string): boolean {
  return /^requestPayment:(fail )?cancel$/.test(errMsg.trim());
}

/** wx.requestPayment with the session exactly as the server sent it: the signature covers those strings. */
export function wxRequestPayment(wx: WxLike): RequestPayment {
  return (session) =>
    new Promise((resolve) => {
      wx.requestPayment({
        ...session,
        success: () => resolve({ ok: true }),
        fail: (error) => resolve({ ok: false, errMsg: error.errMsg }),
      });
    });
}

export type SandboxChoice = 'success' | 'cancel' | 'fail';

/**
 * For development against `npm start` in sandbox mode: the real WeChat client cannot pay a sandbox prepay_id,
 * so the session goes to the sandbox's POST /sandbox/request-payment instead, which checks paySign as the
 * client does and sends WeChat Pay's notification. `choose` plays the user (a modal in the sample app).
 */
export function sandboxRequestPayment(
  wx: WxLike,
  sandboxUrl: string,
  choose: (session: PaymentSession) => Promise<SandboxChoice> = async () => 'success',
): RequestPayment {
  return async (session) => {
    const result = await choose(session);
    const answer = await sendApiRequest(wx, sandboxUrl, { method: 'POST', path: '/sandbox/request-payment', body: { ...session, result } }, 10_000);
    if (answer.status === 200) return { ok: true };
    const errMsg = (answer.data as { errMsg?: unknown } | undefined)?.errMsg;
    return { ok: false, errMsg: typeof errMsg === 'string' ? errMsg : `requestPayment:fail sandbox HTTP ${answer.status}` };
  };
}
