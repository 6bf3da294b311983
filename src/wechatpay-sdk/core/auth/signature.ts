import { createSign, createVerify, randomBytes, type KeyLike } from 'node:crypto';

/** Prefix of the value of `Wechatpay-Signature` on WeChat Pay's signature probes: never a valid signature. */
export const SIGNATURE_PROBE_PREFIX = 'WECHATPAY/SIGNTEST/';

/** 32 upper-case hex characters from a CSPRNG (WeChat Pay allows at most 32). */
export function createNonce(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

/** Seconds since the epoch as WeChat Pay writes them: a decimal string. */
export function unixSeconds(now: Date): string {
  return Math.floor(now.getTime() / 1000).toString();
}

/** Every line of a WeChat Pay message ends in `\n`, the last one included. */
function joinLines(lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}

/** What the merchant signs for `Authorization`: method, path with query, timestamp, nonce, body (empty for GET). */
export function requestSignatureMessage(method: string, pathWithQuery: string, timestamp: string, nonce: string, body: string): string {
  return joinLines([method.toUpperCase(), pathWithQuery, timestamp, nonce, body]);
}

/** What WeChat Pay signs on responses and notifications: timestamp, nonce, raw body. */
export function responseSignatureMessage(timestamp: string, nonce: string, rawBody: string): string {
  return joinLines([timestamp, nonce, rawBody]);
}

/** What the merchant signs for `wx.requestPayment`: appId, timeStamp, nonceStr, `prepay_id=…`. */
export function paySignMessage(appId: string, timeStamp: string, nonceStr: string, packageValue: string): string {
  return joinLines([appId, timeStamp, nonceStr, packageValue]);
}

/** SHA256withRSA (RSASSA-PKCS1-v1_5), Base64. */
export function signSha256WithRsa(message: string, privateKey: KeyLike): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(privateKey, 'base64');
}

/** False for a wrong signature, a malformed one, or a probe; never throws. */
export function verifySha256WithRsa(message: string, signature: string, publicKey: KeyLike): boolean {
  if (signature.startsWith(SIGNATURE_PROBE_PREFIX)) return false;
  try {
    return createVerify('RSA-SHA256').update(message, 'utf8').verify(publicKey, signature, 'base64');
  } catch {
    return false;
  }
}
