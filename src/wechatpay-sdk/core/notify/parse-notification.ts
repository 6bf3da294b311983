import { parseWechatTransaction } from '../../services/jsapi/parse-transaction';
import type { WechatTransaction } from '../../services/jsapi/jsapi-types';
import {
  openWechatPayNotification,
  type NotificationRejectionReason,
  type VerifiedWith,
  type WechatPayNotificationEnvelope,
  type WechatPayNotificationInput,
} from './open-notification';

export type { NotificationRejectionReason, WechatPayNotificationEnvelope, WechatPayNotificationInput };

export type ParsedWechatPayNotification =
  | { ok: true; envelope: WechatPayNotificationEnvelope; transaction: WechatTransaction; verifiedWith: VerifiedWith }
  | { ok: false; reason: NotificationRejectionReason; detail: string };

/**
 * What the payment webhook calls: verify, decrypt (see `openWechatPayNotification`) and read the transaction. The
 * caller still checks mchid, appid, out_trade_no, amount and openid against its own records.
 */
export function parseWechatPayNotification(input: WechatPayNotificationInput): ParsedWechatPayNotification {
  const opened = openWechatPayNotification(input);
  if (!opened.ok) return opened;
  const transaction = parseWechatTransaction(opened.resource);
  if (!transaction) return { ok: false, reason: 'malformed', detail: `decrypted ${opened.envelope.resource.original_type} is not a transaction` };
  return { ok: true, envelope: opened.envelope, transaction, verifiedWith: opened.verifiedWith };
}
