import Pay from 'wechatpay-node-v3';

export const USER_AGENT = `wechat-payment-session (wechatpay-node-v3/2.2.1; node/${process.versions.node})`;

/** The merchant's API credentials: what signs requests and `paySign`. */
export interface MerchantCredentials {
  mchId: string;
  /** Serial of the merchant API certificate (`apiclient_cert.pem`). */
  merchantSerialNo: string;
  merchantCertificatePem: string;
  merchantPrivateKeyPem: string;
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
 * wechatpay-node-v3 as a signing library: its `getSignature` + `getAuthorization` with our nonce, never its
 * `buildAuthorization`, whose nonce comes from Math.random. `publicKey` is the library's name for the merchant
 * API certificate (not the WeChat Pay public key); with `serial_no` given it is never parsed, but it is required.
 */
export function createMerchantSigner(credentials: MerchantCredentials): WechatPaySigner {
  const library = new Pay({
    appid: '',
    mchid: credentials.mchId,
    serial_no: credentials.merchantSerialNo,
    publicKey: Buffer.from(credentials.merchantCertificatePem),
    privateKey: Buffer.from(credentials.merchantPrivateKeyPem),
    userAgent: USER_AGENT,
  });
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
