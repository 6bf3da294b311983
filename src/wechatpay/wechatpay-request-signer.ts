import Pay from 'wechatpay-node-v3';
import type { WechatPaySettings } from '../config/env';

export const USER_AGENT = `wechat-payment-session (wechatpay-node-v3/2.2.1; node/${process.versions.node})`;

/**
 * wechatpay-node-v3 as a signing library. `publicKey` is its name for the merchant API certificate (not the
 * WeChat Pay public key); with `serial_no` given it is never parsed, but the constructor requires it.
 */
export function createWechatPayLibrary(settings: WechatPaySettings): Pay {
  return new Pay({
    appid: settings.appId,
    mchid: settings.mchId,
    serial_no: settings.merchantSerialNo,
    publicKey: Buffer.from(settings.merchantCertificatePem),
    privateKey: Buffer.from(settings.merchantPrivateKeyPem),
    userAgent: USER_AGENT,
  });
}

export interface SignableRequest {
  method: 'GET' | 'POST';
  /** Path and query as sent, no scheme or host. */
  pathWithQuery: string;
  /** Exactly the bytes sent; empty for GET. */
  body: string;
}

export interface WechatPaySigner {
  /** `Authorization` for one request with the caller's timestamp and CSPRNG nonce. */
  authorize(request: SignableRequest, timestamp: string, nonce: string): string;
  /** SHA256withRSA with the merchant private key, Base64 (paySign). */
  sign(message: string): string;
}

/**
 * Uses the library's `getSignature` + `getAuthorization` with our nonce and never its `buildAuthorization`,
 * whose nonce comes from Math.random.
 */
export function createWechatPaySigner(library: Pay): WechatPaySigner {
  return {
    authorize({ method, pathWithQuery, body }, timestamp, nonce) {
      // getSignature drops the body line when the body is empty, which is only right for GET.
      if (method !== 'GET' && body === '') throw new Error(`${method} ${pathWithQuery} needs a body to be signed`);
      const signature = library.getSignature(method, nonce, timestamp, pathWithQuery, method === 'GET' ? undefined : body);
      return library.getAuthorization(nonce, timestamp, signature);
    },
    sign: (message) => library.sha256WithRsa(message),
  };
}
