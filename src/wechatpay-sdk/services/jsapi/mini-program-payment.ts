import { createNonce, paySignMessage, unixSeconds } from '../../core/auth/signature';
import type { MiniProgramPayment } from './jsapi-types';

export interface MiniProgramPaymentInput {
  /** The Mini Program appid: line 1 of the signed message, though `wx.requestPayment` does not take it. */
  appId: string;
  prepayId: string;
  now: Date;
  /** CSPRNG by default; given only to reproduce published test vectors. */
  nonceStr?: string;
}

/**
 * paySign = SHA256withRSA over `appId\ntimeStamp\nnonceStr\nprepay_id=…\n` with the merchant private key
 * (the same key that signs API requests); `timeStamp` is a string of seconds, `signType` is always RSA.
 */
export function buildMiniProgramPayment(input: MiniProgramPaymentInput, sign: (message: string) => string): MiniProgramPayment {
  const timeStamp = unixSeconds(input.now);
  const nonceStr = input.nonceStr ?? createNonce();
  const packageValue = `prepay_id=${input.prepayId}`;
  return {
    appId: input.appId,
    timeStamp,
    nonceStr,
    package: packageValue,
    signType: 'RSA',
    paySign: sign(paySignMessage(input.appId, timeStamp, nonceStr, packageValue)),
  };
}
