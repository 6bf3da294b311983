import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';
import type { WechatPaySettings } from '../../../../src/config/env';
import { createNonce, responseSignatureMessage, signSha256WithRsa, unixSeconds } from '../../../../src/wechatpay-sdk/core/auth/signature';

/** Keys are generated per test run; nothing secret is committed. */
export interface RsaKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

export function generateRsaKeyPair(): RsaKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** A self-signed certificate for `pair`, as WeChat Pay issues for merchants and its platform. */
export function issueCertificate(pair: RsaKeyPair, serialHex: string, commonName: string): string {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(pair.publicKeyPem);
  certificate.serialNumber = serialHex;
  certificate.validity.notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  certificate.validity.notAfter = new Date(Date.now() + 5 * 365 * 24 * 3600 * 1000);
  const subject = [{ name: 'commonName', value: commonName }];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.sign(forge.pki.privateKeyFromPem(pair.privateKeyPem) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(certificate);
}

/** How WeChat Pay signs an answer or notification: one key and the serial that names it. */
export interface WechatPaySigningKey {
  privateKeyPem: string;
  serial: string;
}

export interface TestCredentials {
  merchant: RsaKeyPair & { certificatePem: string; serial: string };
  /** WeChat Pay public key mode. */
  wechatPayKey: WechatPaySigningKey & { publicKeyPem: string };
  /** Platform certificate mode. */
  platform: WechatPaySigningKey & { certificatePem: string };
}

export const MERCHANT_SERIAL = '3775B6A45ACD588826D15E583A95F5DD00000000';
export const PLATFORM_SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F7E5B7';
export const PUBLIC_KEY_ID = 'PUB_KEY_ID_0114232134912410000000000000000001';
export const API_V3_KEY = 'sandbox-apiv3-key-32-bytes-long!';

let cached: TestCredentials | undefined;

/** Generated once per test file: RSA key generation is the slow part of these tests. */
export function testCredentials(): TestCredentials {
  if (cached) return cached;
  const merchant = generateRsaKeyPair();
  const wechatPay = generateRsaKeyPair();
  const platform = generateRsaKeyPair();
  cached = {
    merchant: { ...merchant, certificatePem: issueCertificate(merchant, MERCHANT_SERIAL, '1900000001'), serial: MERCHANT_SERIAL },
    wechatPayKey: { privateKeyPem: wechatPay.privateKeyPem, publicKeyPem: wechatPay.publicKeyPem, serial: PUBLIC_KEY_ID },
    platform: {
      privateKeyPem: platform.privateKeyPem,
      certificatePem: issueCertificate(platform, PLATFORM_SERIAL, 'Tenpay.com Root CA'),
      serial: PLATFORM_SERIAL,
    },
  };
  return cached;
}

export type VerificationMode = 'public_key' | 'platform_certificate' | 'combined';

export function testSettings(baseUrl: string, mode: VerificationMode = 'public_key', overrides: Partial<WechatPaySettings> = {}): WechatPaySettings {
  const credentials = testCredentials();
  return {
    appId: 'wx0000000000000001',
    appSecret: 'test-app-secret',
    mchId: '1900000001',
    merchantSerialNo: credentials.merchant.serial,
    merchantCertificatePem: credentials.merchant.certificatePem,
    merchantPrivateKeyPem: credentials.merchant.privateKeyPem,
    standbyMerchantCertificates: [],
    apiV3Key: API_V3_KEY,
    wechatPayPublicKeys: mode === 'platform_certificate' ? [] : [{ id: PUBLIC_KEY_ID, pem: credentials.wechatPayKey.publicKeyPem }],
    platformCertificates: mode === 'public_key' ? [] : [{ serial: PLATFORM_SERIAL, pem: credentials.platform.certificatePem }],
    notifyUrl: 'https://merchant.example.com/wechatpay/notify',
    payBaseUrl: baseUrl,
    wechatApiBaseUrl: baseUrl,
    timeoutMs: 2000,
    ...overrides,
  };
}

/** The four `Wechatpay-*` headers WeChat Pay puts on a signed answer or notification. */
export function signAsWechatPay(key: WechatPaySigningKey, body: string, now: Date, overrides: Record<string, string> = {}): Record<string, string> {
  const timestamp = overrides['Wechatpay-Timestamp'] ?? unixSeconds(now);
  const nonce = createNonce();
  return {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': signSha256WithRsa(responseSignatureMessage(timestamp, nonce, body), key.privateKeyPem),
    'Wechatpay-Serial': key.serial,
    'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    ...overrides,
  };
}
