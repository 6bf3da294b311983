import {
  openWechatPayNotification,
  type NotificationRejectionReason,
  type VerifiedWith,
  type WechatPayNotificationEnvelope,
  type WechatPayNotificationInput,
} from '../../core/notify/open-notification';
import { parseWechatRefundNotice } from './parse-refund';
import type { WechatRefundNotice } from './refund-types';

export const REFUND_EVENT_TYPES = ['REFUND.SUCCESS', 'REFUND.ABNORMAL', 'REFUND.CLOSED'] as const;
export type RefundEventType = (typeof REFUND_EVENT_TYPES)[number];

export type ParsedRefundNotification =
  | { ok: true; envelope: WechatPayNotificationEnvelope & { event_type: RefundEventType }; refund: WechatRefundNotice; verifiedWith: VerifiedWith }
  | { ok: false; reason: NotificationRejectionReason; detail: string };

/**
 * A refund notification: the payment notification's envelope, signature and AES-256-GCM, with `original_type: refund`
 * and `associated_data: refund` (the AAD, so a payment resource relabelled as a refund fails decryption), and a
 * REFUND.* event whose status is the resource's `refund_status`.
 */
export function parseWechatPayRefundNotification(input: WechatPayNotificationInput): ParsedRefundNotification {
  const opened = openWechatPayNotification(input);
  if (!opened.ok) return opened;
  const { envelope } = opened;
  if (envelope.resource.original_type !== 'refund' || envelope.resource.associated_data !== 'refund')
    return { ok: false, reason: 'malformed', detail: `original_type ${envelope.resource.original_type} is not a refund` };
  if (!(REFUND_EVENT_TYPES as readonly string[]).includes(envelope.event_type))
    return { ok: false, reason: 'malformed', detail: `event_type ${envelope.event_type} is not a refund event` };
  const refund = parseWechatRefundNotice(opened.resource);
  if (!refund) return { ok: false, reason: 'malformed', detail: 'decrypted refund lacks its fields' };
  if (`REFUND.${refund.refund_status}` !== envelope.event_type)
    return { ok: false, reason: 'malformed', detail: `event_type ${envelope.event_type} disagrees with refund_status ${refund.refund_status}` };
  return { ok: true, envelope: envelope as WechatPayNotificationEnvelope & { event_type: RefundEventType }, refund, verifiedWith: opened.verifiedWith };
}
