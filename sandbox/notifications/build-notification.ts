import { randomUUID } from 'node:crypto';
import { encryptAes256Gcm } from '../../src/wechatpay-sdk';
import { formatBeijingTime } from '../../src/wechatpay-sdk';
import { generateAlphanumeric } from '../pay-api/generate-wechat-ids';

export interface BuiltNotification {
  id: string;
  /** Serialised once: every delivery of this notification sends (and signs) these exact bytes. */
  body: string;
}

interface EnvelopeKind {
  eventType: string;
  summary: string;
  /** `transaction` or `refund`: both `original_type` and the AAD (`associated_data`). */
  originalType: 'transaction' | 'refund';
}

function buildNotification(kind: EnvelopeKind, resource: Record<string, unknown>, apiV3Key: string, now: Date): BuiltNotification {
  const id = randomUUID();
  const nonce = generateAlphanumeric(12);
  const envelope = {
    id,
    create_time: formatBeijingTime(now),
    resource_type: 'encrypt-resource',
    event_type: kind.eventType,
    summary: kind.summary,
    resource: {
      original_type: kind.originalType,
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: encryptAes256Gcm(apiV3Key, nonce, kind.originalType, JSON.stringify(resource)),
      associated_data: kind.originalType,
      nonce,
    },
  };
  return { id, body: JSON.stringify(envelope) };
}

/** A TRANSACTION.SUCCESS envelope whose resource is the transaction, AES-256-GCM encrypted with the APIv3 key. */
export function buildSuccessNotification(transaction: Record<string, unknown>, apiV3Key: string, now: Date): BuiltNotification {
  return buildNotification({ eventType: 'TRANSACTION.SUCCESS', summary: '支付成功', originalType: 'transaction' }, transaction, apiV3Key, now);
}

const REFUND_SUMMARIES: Record<string, string> = { SUCCESS: '退款成功', ABNORMAL: '退款异常', CLOSED: '退款关闭' };

/** A REFUND.SUCCESS / REFUND.ABNORMAL / REFUND.CLOSED envelope: `original_type` and `associated_data` are `refund`. */
export function buildRefundNotification(notice: Record<string, unknown> & { refund_status: string }, apiV3Key: string, now: Date): BuiltNotification {
  const kind = { eventType: `REFUND.${notice.refund_status}`, summary: REFUND_SUMMARIES[notice.refund_status] ?? '退款通知', originalType: 'refund' as const };
  return buildNotification(kind, notice, apiV3Key, now);
}
