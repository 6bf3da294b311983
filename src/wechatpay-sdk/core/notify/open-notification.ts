import { DecryptionError, decryptAes256Gcm } from '../cipher/aes-gcm';
import { verifyWechatPaySignature, type SignatureRejectionReason, type VerificationKeyKind, type WechatPayVerificationKeys } from '../auth/verifier';
import type { WechatPayHeaders } from '../transport/headers';

export type NotificationRejectionReason = SignatureRejectionReason | 'malformed' | 'decrypt_failed';

/** The envelope WeChat Pay POSTs to notify_url; `id` is the deduplication key. */
export interface WechatPayNotificationEnvelope {
  id: string;
  create_time: string;
  event_type: string;
  resource_type: string;
  summary: string;
  resource: { algorithm: 'AEAD_AES_256_GCM'; ciphertext: string; associated_data: string; original_type: string; nonce: string };
}

export interface WechatPayNotificationInput {
  keys: WechatPayVerificationKeys;
  apiV3Key: string;
  headers: WechatPayHeaders;
  /** The body bytes exactly as received: verification fails on anything re-serialised. */
  rawBody: Buffer | string;
  now: Date;
}

export type VerifiedWith = { serial: string; keyKind: VerificationKeyKind };

export type OpenedNotification =
  | { ok: true; envelope: WechatPayNotificationEnvelope; resource: unknown; verifiedWith: VerifiedWith }
  | { ok: false; reason: NotificationRejectionReason; detail: string };

const ENVELOPE_FIELDS = ['id', 'create_time', 'event_type', 'resource_type', 'summary'] as const;
const RESOURCE_FIELDS = ['algorithm', 'ciphertext', 'associated_data', 'original_type', 'nonce'] as const;

function hasStrings<K extends string>(value: unknown, fields: readonly K[]): value is Record<K, string> {
  return typeof value === 'object' && value !== null && fields.every((field) => typeof (value as Record<string, unknown>)[field] === 'string');
}

function readEnvelope(text: string): WechatPayNotificationEnvelope | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'body is not JSON';
  }
  if (!hasStrings(parsed, ENVELOPE_FIELDS)) return `envelope lacks one of ${ENVELOPE_FIELDS.join(', ')}`;
  const resource: unknown = (parsed as { resource?: unknown }).resource;
  if (!hasStrings(resource, RESOURCE_FIELDS)) return `resource lacks one of ${RESOURCE_FIELDS.join(', ')}`;
  if (resource.algorithm !== 'AEAD_AES_256_GCM') return `unsupported algorithm ${resource.algorithm}`;
  return parsed as WechatPayNotificationEnvelope;
}

/**
 * Verify the signature over the raw body (probes fail here and must be answered 4xx/5xx), then decrypt `resource`
 * with the APIv3 key (AES-256-GCM, tag checked) and parse it as JSON. What the resource is, the caller decides.
 */
export function openWechatPayNotification(input: WechatPayNotificationInput): OpenedNotification {
  const verification = verifyWechatPaySignature(input.keys, input.headers, input.rawBody, input.now);
  if (!verification.ok) return verification;

  const text = typeof input.rawBody === 'string' ? input.rawBody : input.rawBody.toString('utf8');
  const envelope = readEnvelope(text);
  if (typeof envelope === 'string') return { ok: false, reason: 'malformed', detail: envelope };

  const { ciphertext, associated_data: associatedData, nonce } = envelope.resource;
  let plaintext: string;
  try {
    plaintext = decryptAes256Gcm(input.apiV3Key, nonce, associatedData, ciphertext);
  } catch (err) {
    if (!(err instanceof DecryptionError)) throw err;
    return { ok: false, reason: 'decrypt_failed', detail: err.message };
  }
  try {
    return { ok: true, envelope, resource: JSON.parse(plaintext), verifiedWith: { serial: verification.serial, keyKind: verification.keyKind } };
  } catch {
    return { ok: false, reason: 'malformed', detail: 'decrypted resource is not JSON' };
  }
}
