import { X509Certificate, createPublicKey, type KeyObject } from 'node:crypto';
import { responseSignatureMessage, verifySha256WithRsa } from '../../../../src/wechatpay-sdk/core/auth/signature';
import type { SandboxCredentials } from '../../../../sandbox';

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The keys a merchant configured in "both" mode: the public key by its id, the platform certificate by its serial. */
export function wechatPayKeys(credentials: SandboxCredentials): Map<string, KeyObject> {
  return new Map([
    [credentials.wechatPayPublicKey.id, createPublicKey(credentials.wechatPayPublicKey.publicKeyPem)],
    [credentials.platformCertificate.serialNo, new X509Certificate(credentials.platformCertificate.certificatePem).publicKey],
  ]);
}

/** What a correct verifier does: known serial, ±300 s, SHA256withRSA over timestamp, nonce and the raw body. */
export function verifySandboxSignature(headers: HeaderSource, rawBody: string, keys: Map<string, KeyObject>, now = new Date()): string | undefined {
  const timestamp = header(headers, 'Wechatpay-Timestamp');
  const nonce = header(headers, 'Wechatpay-Nonce');
  const signature = header(headers, 'Wechatpay-Signature');
  const serial = header(headers, 'Wechatpay-Serial');
  if (!timestamp || !nonce || !signature || !serial) return 'missing Wechatpay-* headers';
  if (header(headers, 'Wechatpay-Signature-Type') !== 'WECHATPAY2-SHA256-RSA2048') return 'wrong signature type';
  const key = keys.get(serial);
  if (!key) return `unknown serial ${serial}`;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > 300) return 'stale timestamp';
  return verifySha256WithRsa(responseSignatureMessage(timestamp, nonce, rawBody), signature, key) ? undefined : 'signature does not verify';
}
