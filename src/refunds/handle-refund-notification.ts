import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { FAILED, HANDLED, processClaimedNotification, REFUSED, type NotificationAnswer } from '../payments/process-claimed-notification';
import type { PaymentNotificationsRepository } from '../payments/payment-notifications-repository';
import {
  parseWechatPayRefundNotification,
  readHeader,
  type WechatPayHeaders,
  type WechatPayNotificationEnvelope,
  type WechatPayVerificationKeys,
  type WechatRefundNotice,
} from '../wechatpay-sdk';
import { applyWechatRefund, observeRefundNotice, type RefundOutcome } from './apply-wechat-refund';
import { lockOrderAndRefund, type RefundDeps } from './submit-refund';

export type RefundNotificationOutcome = RefundOutcome | 'duplicate' | 'unknown_refund';

export interface HandleRefundNotificationDeps extends RefundDeps {
  notifications: PaymentNotificationsRepository;
  keys: WechatPayVerificationKeys;
  merchant: { mchId: string; apiV3Key: string };
  metrics: RefundDeps['metrics'] & Pick<Metrics, 'refundNotificationsReceived' | 'refundNotificationsRejected' | 'refundNotificationOutcomes'>;
}

/**
 * One transaction per verified refund notification: claim its id in the same store as payment notifications
 * (redeliveries stop there), lock the order then the refund, and hand WeChat's word to the one function that
 * applies it to a refund.
 */
async function applyNotification(
  deps: HandleRefundNotificationDeps,
  envelope: WechatPayNotificationEnvelope,
  notice: WechatRefundNotice,
  now: Date,
): Promise<RefundNotificationOutcome> {
  const known = await deps.refunds.findByOutRefundNo(notice.out_refund_no);
  const claim = { id: envelope.id, eventType: envelope.event_type, outTradeNo: notice.out_trade_no, now };
  const run = deps.transactions.run;
  return processClaimedNotification({ run, notifications: deps.notifications }, claim, async (tx): Promise<Exclude<RefundNotificationOutcome, 'duplicate'>> => {
    if (!known) return 'unknown_refund';
    const { order, refund } = await lockOrderAndRefund(deps, tx, known);
    const origin = { source: 'webhook' as const, now, notificationId: envelope.id };
    if (notice.mchid !== deps.merchant.mchId) {
      await deps.orders.recordEvent(tx, order, { ...origin, event: 'refund_mismatch', detail: { refund_id: refund.id, mismatches: ['mchid'] } });
      return 'mismatch';
    }
    return (await applyWechatRefund(deps, tx, order, refund, observeRefundNotice(notice), origin)).outcome;
  });
}

/** WeChat Pay's REFUND.SUCCESS / REFUND.ABNORMAL / REFUND.CLOSED, from raw bytes to the answer WeChat gets. */
export async function handleRefundNotification(
  deps: HandleRefundNotificationDeps,
  logger: Logger,
  headers: WechatPayHeaders,
  rawBody: Buffer,
): Promise<NotificationAnswer> {
  deps.metrics.refundNotificationsReceived.inc();
  const now = deps.clock();
  const parsed = parseWechatPayRefundNotification({ keys: deps.keys, apiV3Key: deps.merchant.apiV3Key, headers, rawBody, now });
  if (!parsed.ok) {
    // Probes (WECHATPAY/SIGNTEST/) land here: answering them 2xx would be a security defect.
    deps.metrics.refundNotificationsRejected.inc({ reason: parsed.reason });
    logger.warn({ reason: parsed.reason, detail: parsed.detail, serial: readHeader(headers, 'Wechatpay-Serial') }, 'WeChat Pay refund notification refused');
    return REFUSED;
  }
  try {
    const outcome = await applyNotification(deps, parsed.envelope, parsed.refund, now);
    deps.metrics.refundNotificationOutcomes.inc({ outcome });
    logger.info(
      { notificationId: parsed.envelope.id, eventType: parsed.envelope.event_type, outRefundNo: parsed.refund.out_refund_no, outcome },
      'WeChat Pay refund notification processed',
    );
    return HANDLED;
  } catch (err) {
    logger.error({ err, notificationId: parsed.envelope.id }, 'WeChat Pay refund notification processing failed');
    return FAILED;
  }
}
