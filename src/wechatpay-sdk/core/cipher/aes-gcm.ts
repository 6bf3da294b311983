import { createCipheriv, createDecipheriv } from 'node:crypto';

const TAG_LENGTH = 16;

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

/** The APIv3 key is used as its 32 ASCII bytes, not decoded. */
function aesKey(apiV3Key: string): Buffer {
  const key = Buffer.from(apiV3Key, 'utf8');
  if (key.length !== 32) throw new DecryptionError('the APIv3 key must be 32 bytes');
  return key;
}

/** AEAD_AES_256_GCM as WeChat Pay uses it: Base64 of ciphertext followed by the 16-byte tag. */
export function encryptAes256Gcm(apiV3Key: string, nonce: string, associatedData: string, plaintext: string): string {
  const cipher = createCipheriv('aes-256-gcm', aesKey(apiV3Key), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const encrypted = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([encrypted, cipher.getAuthTag()]).toString('base64');
}

/**
 * Decrypts and authenticates. The tag is only checked in `final()`: skipping it (as wechatpay-node-v3's
 * `decipher_gcm` does) lets a tampered ciphertext, a wrong AAD or a wrong key "decrypt".
 */
export function decryptAes256Gcm(apiV3Key: string, nonce: string, associatedData: string, ciphertext: string): string {
  const bytes = Buffer.from(ciphertext, 'base64');
  if (bytes.length <= TAG_LENGTH) throw new DecryptionError('ciphertext too short');
  const decipher = createDecipheriv('aes-256-gcm', aesKey(apiV3Key), Buffer.from(nonce, 'utf8'));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_LENGTH));
  try {
    const plain = Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_LENGTH)), decipher.final()]);
    return plain.toString('utf8');
  } catch {
    throw new DecryptionError('unable to authenticate data: wrong APIv3 key, nonce or associated data, or tampered ciphertext');
  }
}
