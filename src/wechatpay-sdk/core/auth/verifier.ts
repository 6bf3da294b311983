import { X509Certificate, createPublicKey, type KeyObject } from 'node:crypto';
import { readHeader, type WechatPayHeaders } from '../transport/headers';
import { SIGNATURE_PROBE_PREFIX, responseSignatureMessage, verifySha256WithRsa } from './signature';

/** WeChat Pay rejects requests more than 5 minutes off; we hold its answers and notifications to the same window. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

export type SignatureRejectionReason = 'missing_headers' | 'stale_timestamp' | 'unknown_serial' | 'probe' | 'bad_signature';

export type VerificationKeyKind = 'wechatpay_public_key' | 'platform_certificate';

/**
 * The keys WeChat Pay may sign with, picked by `Wechatpay-Serial`: WeChat Pay public keys (`PUB_KEY_ID_…`),
 * platform certificates (by serial), or both while a merchant migrates from one to the other. Several of each
 * while WeChat Pay rotates them: old and new side by side.
 */
export interface WechatPayVerificationKeys {
  /** `PUB_KEY_ID_…` → public key, in configured order: the first is the one requests name in `Wechatpay-Serial`. */
  publicKeys: Map<string, KeyObject>;
  /** Upper-case certificate serial → public key. Plain maps, so keys obtained later (a certificate download) can be `set`. */
  platformCertificates: Map<string, KeyObject>;
}

export type SignatureVerification =
  { ok: true; serial: string; keyKind: VerificationKeyKind } | { ok: false; reason: SignatureRejectionReason; detail: string };

/** The keys as configured: PEMs, before they are parsed. */
export interface VerificationKeySources {
  /** Several during a rotation; the first is named in requests. */
  wechatPayPublicKeys?: readonly { id: string; pem: string }[];
  /** One key: the common case (comes after `wechatPayPublicKeys` when both are given). */
  wechatPayPublicKey?: { id: string; pem: string };
  platformCertificates: readonly { serial: string; pem: string }[];
}

/** Parses once: public-key mode, platform-certificate mode, or both (combined, during a migration). */
export function createVerificationKeys(settings: VerificationKeySources): WechatPayVerificationKeys {
  const platformCertificates = new Map<string, KeyObject>();
  for (const { serial, pem } of settings.platformCertificates) {
    const certificate = new X509Certificate(pem);
    platformCertificates.set((serial || certificate.serialNumber).toUpperCase(), certificate.publicKey);
  }
  const publicKeys = new Map<string, KeyObject>();
  for (const { id, pem } of [...(settings.wechatPayPublicKeys ?? []), ...(settings.wechatPayPublicKey ? [settings.wechatPayPublicKey] : [])]) {
    if (!publicKeys.has(id)) publicKeys.set(id, createPublicKey(pem));
  }
  return { publicKeys, platformCertificates };
}

/** The `PUB_KEY_ID_…` requests carry in `Wechatpay-Serial` (public-key mode), if any. */
export function requestedPublicKeyId(keys: WechatPayVerificationKeys): string | undefined {
  return keys.publicKeys.keys().next().value;
}

function findKey(keys: WechatPayVerificationKeys, serial: string): { key: KeyObject; keyKind: VerificationKeyKind } | undefined {
  const publicKey = keys.publicKeys.get(serial);
  if (publicKey) return { key: publicKey, keyKind: 'wechatpay_public_key' };
  const certificateKey = keys.platformCertificates.get(serial.toUpperCase());
  return certificateKey ? { key: certificateKey, keyKind: 'platform_certificate' } : undefined;
}

// WeChat Pay bodies are UTF-8 JSON; bytes that are not valid UTF-8 cannot be what it signed.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeBody(rawBody: Buffer | string): string | undefined {
  if (typeof rawBody === 'string') return rawBody;
  try {
    return strictUtf8.decode(rawBody);
  } catch {
    return undefined;
  }
}

const SIGNED_HEADERS = ['Wechatpay-Timestamp', 'Wechatpay-Nonce', 'Wechatpay-Signature', 'Wechatpay-Serial'] as const;

const reject = (reason: SignatureRejectionReason, detail: string): SignatureVerification => ({ ok: false, reason, detail });

/**
 * Verifies a WeChat Pay answer or notification: `timestamp\nnonce\nrawBody\n`, SHA256withRSA, over the raw bytes
 * received (a re-serialised JSON body does not verify). Used for every 2xx answer and by the webhook.
 */
export function verifyWechatPaySignature(
  keys: WechatPayVerificationKeys,
  headers: WechatPayHeaders,
  rawBody: Buffer | string,
  now: Date,
): SignatureVerification {
  const [timestamp, nonce, signature, serial] = SIGNED_HEADERS.map((name) => readHeader(headers, name));
  if (!timestamp || !nonce || !signature || !serial) {
    const missing = SIGNED_HEADERS.filter((name) => !readHeader(headers, name));
    return reject('missing_headers', `missing ${missing.join(', ')}`);
  }
  // A probe must fail verification; the webhook then answers 4xx/5xx and WeChat re-sends a signed notification.
  if (signature.startsWith(SIGNATURE_PROBE_PREFIX)) return reject('probe', 'Wechatpay-Signature is a WECHATPAY/SIGNTEST/ probe');
  const skew = Math.abs(Math.floor(now.getTime() / 1000) - Number(timestamp));
  if (!/^\d{1,12}$/.test(timestamp) || skew > MAX_CLOCK_SKEW_SECONDS) {
    return reject('stale_timestamp', `Wechatpay-Timestamp ${timestamp} is more than ${MAX_CLOCK_SKEW_SECONDS} s from now`);
  }
  const found = findKey(keys, serial);
  if (!found) return reject('unknown_serial', `no configured key for Wechatpay-Serial ${serial}`);
  const body = decodeBody(rawBody);
  if (body === undefined || !verifySha256WithRsa(responseSignatureMessage(timestamp, nonce, body), signature, found.key)) {
    return reject('bad_signature', `signature does not verify with the key of ${serial}`);
  }
  return { ok: true, serial, keyKind: found.keyKind };
}
