import { X509Certificate, type KeyObject } from 'node:crypto';
import { decryptAes256Gcm } from '../../core/cipher/aes-gcm';
import { WechatPayMalformedResponseError } from '../../core/errors';
import type { WechatPayVerificationKeys } from '../../core/auth/verifier';
import type { RawWechatPayResponse } from '../../core/transport/check-response';

/** One platform certificate from `GET /v3/certificates`, decrypted and checked. */
export interface PlatformCertificate {
  /** Upper-case hex, as WeChat Pay writes it in `Wechatpay-Serial`. */
  serialNo: string;
  certificatePem: string;
  publicKey: KeyObject;
  effectiveAt: Date;
  expiresAt: Date;
}

interface EncryptedCertificate {
  algorithm?: unknown;
  nonce?: unknown;
  associated_data?: unknown;
  ciphertext?: unknown;
}

interface CertificateEntry {
  serial_no?: unknown;
  encrypt_certificate?: EncryptedCertificate;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function readEntries(operation: string, response: RawWechatPayResponse): CertificateEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.rawBody.toString('utf8'));
  } catch {
    throw new WechatPayMalformedResponseError(operation, 'body is not JSON', response.requestId);
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new WechatPayMalformedResponseError(operation, 'no data array', response.requestId);
  return data as CertificateEntry[];
}

/**
 * The AEAD tag proves the certificate was encrypted by someone holding our APIv3 key, that is WeChat Pay; the
 * certificate's own serial must be the `serial_no` it is listed under.
 */
function decryptEntry(operation: string, entry: CertificateEntry, apiV3Key: string, requestId: string | undefined): PlatformCertificate {
  const fail = (detail: string) => new WechatPayMalformedResponseError(operation, detail, requestId);
  const listedSerial = text(entry.serial_no)?.toUpperCase();
  const encrypted = entry.encrypt_certificate;
  const [nonce, associatedData, ciphertext] = [text(encrypted?.nonce), text(encrypted?.associated_data) ?? '', text(encrypted?.ciphertext)];
  if (!listedSerial || !nonce || !ciphertext) throw fail('a certificate lacks serial_no, nonce or ciphertext');
  if (encrypted?.algorithm !== 'AEAD_AES_256_GCM') throw fail(`certificate ${listedSerial} uses ${String(encrypted?.algorithm)}, not AEAD_AES_256_GCM`);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(decryptAes256Gcm(apiV3Key, nonce, associatedData, ciphertext));
  } catch (err) {
    throw fail(`certificate ${listedSerial} does not decrypt to an X.509 certificate: ${(err as Error).message}`);
  }
  if (certificate.serialNumber.toUpperCase() !== listedSerial) throw fail(`certificate listed as ${listedSerial} has serial ${certificate.serialNumber}`);
  return {
    serialNo: listedSerial,
    certificatePem: certificate.toString(),
    publicKey: certificate.publicKey,
    effectiveAt: new Date(certificate.validFrom),
    expiresAt: new Date(certificate.validTo),
  };
}

/** Decrypts every listed certificate; an expired one is left out (WeChat Pay no longer signs with it). */
export function readPlatformCertificates(operation: string, response: RawWechatPayResponse, apiV3Key: string, now: Date): PlatformCertificate[] {
  return readEntries(operation, response)
    .map((entry) => decryptEntry(operation, entry ?? {}, apiV3Key, response.requestId))
    .filter((certificate) => certificate.expiresAt.getTime() > now.getTime());
}

/** The keys we already trust, plus the certificates just decrypted. */
export function withCertificates(keys: WechatPayVerificationKeys, certificates: readonly PlatformCertificate[]): WechatPayVerificationKeys {
  const platformCertificates = new Map(keys.platformCertificates);
  for (const certificate of certificates) platformCertificates.set(certificate.serialNo, certificate.publicKey);
  return { publicKeys: keys.publicKeys, platformCertificates };
}
