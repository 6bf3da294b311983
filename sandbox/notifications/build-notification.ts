import { randomUUID } from 'node:crypto';
import { encryptAes256Gcm } from '../../src/wechatpay-sdk';
import { formatBeijingTime } from '../../src/wechatpay-sdk';
import { generateAlphanumeric } from '../pay-api/generate-wechat-ids';

export interface BuiltNotification {
  id: string;
  /** Serialised once: every delivery of this notification sends (and signs) these exact bytes. */
  body: string;
}

/** A TRANSACTION.SUCCESS envelope whose resource is the transaction, AES-256-GCM encrypted with the APIv3 key. */
export function buildSuccessNotification(transaction: Record<string, unknown>, apiV3Key: string, now: Date): BuiltNotification {
  const id = randomUUID();
  const nonce = generateAlphanumeric(12);
  const associatedData = 'transaction';
  const envelope = {
    id,
    create_time: formatBeijingTime(now),
    resource_type: 'encrypt-resource',
    event_type: 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: {
      original_type: 'transaction',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: encryptAes256Gcm(apiV3Key, nonce, associatedData, JSON.stringify(transaction)),
      associated_data: associatedData,
      nonce,
    },
  };
  return { id, body: JSON.stringify(envelope) };
}
