import type { WechatPaySettings } from '../../src/config/env';
import type { SandboxCredentials } from './sandbox-credentials';

/** Which of WeChat Pay's verification keys the merchant side is configured with. */
export type SandboxKeyMode = 'public-key' | 'platform-certificate' | 'both';

export interface SandboxSettingsOptions {
  /** The sandbox URL, e.g. `http://127.0.0.1:3100`; serves both the pay and the login API. */
  baseUrl: string;
  notifyUrl: string;
  keyMode: SandboxKeyMode;
  timeoutMs?: number;
}

/** The settings the API's WeChat Pay client consumes, pointing at the sandbox: only configuration differs from production. */
export function sandboxWechatPaySettings(credentials: SandboxCredentials, options: SandboxSettingsOptions): WechatPaySettings {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const withPublicKey = options.keyMode !== 'platform-certificate';
  const withPlatformCertificate = options.keyMode !== 'public-key';
  return {
    appId: credentials.appId,
    appSecret: credentials.appSecret,
    mchId: credentials.mchId,
    merchantSerialNo: credentials.merchant.serialNo,
    merchantCertificatePem: credentials.merchant.certificatePem,
    merchantPrivateKeyPem: credentials.merchant.privateKeyPem,
    apiV3Key: credentials.apiV3Key,
    standbyMerchantCertificates: [],
    wechatPayPublicKeys: withPublicKey ? [{ id: credentials.wechatPayPublicKey.id, pem: credentials.wechatPayPublicKey.publicKeyPem }] : [],
    platformCertificates: withPlatformCertificate
      ? [{ serial: credentials.platformCertificate.serialNo, pem: credentials.platformCertificate.certificatePem }]
      : [],
    notifyUrl: options.notifyUrl,
    payBaseUrl: baseUrl,
    wechatApiBaseUrl: baseUrl,
    timeoutMs: options.timeoutMs ?? 5000,
  };
}
