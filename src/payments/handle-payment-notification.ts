import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { parseWechatPayNotification, readHeader, type WechatPayHeaders, type WechatPayVerificationKeys } from '../wechatpay-sdk';
import type { AppliedNotification, ApplyNotificationDeps, NotificationOutcome, VerifiedNotification } from './apply-payment-notification';
import { FAILED, HANDLED, REFUSED, type NotificationAnswer } from './process-claimed-notification';

export type { NotificationAnswer, NotificationOutcome };

export interface HandleNotificationDeps extends ApplyNotificationDeps {
  keys: WechatPayVerificationKeys;
  merchant: { appId: string; mchId: string; apiV3Key: string };
  metrics: Metrics;
  clock: () => Date;
  /** Applies a verified notification, in a group with those that arrive with it (see group-commit-queue.ts). */
  applyNotification: (notification: VerifiedNotification) => Promise<AppliedNotification>;
}

function countOutcome(metrics: Metrics, { outcome, mismatches }: AppliedNotification): void {
  for (const field of mismatches) metrics.notificationsMismatch.inc({ field });
  if (outcome === 'duplicate') metrics.notificationsDuplicate.inc();
  if (outcome === 'applied') metrics.notificationsApplied.inc();
  if (outcome === 'paid_after_cancel') metrics.paidAfterCancel.inc();
}

/** WeChat Pay's notification, from raw bytes to the answer WeChat gets. Never trusts anything unverified. */
export async function handlePaymentNotification(
  deps: HandleNotificationDeps,
  logger: Logger,
  headers: WechatPayHeaders,
  rawBody: Buffer,
): Promise<NotificationAnswer> {
  deps.metrics.notificationsReceived.inc();
  const now = deps.clock();
  const parsed = parseWechatPayNotification({ keys: deps.keys, apiV3Key: deps.merchant.apiV3Key, headers, rawBody, now });
  if (!parsed.ok) {
    // Probes (WECHATPAY/SIGNTEST/) land here too: answering them 2xx would be a security defect.
    deps.metrics.notificationsRejected.inc({ reason: parsed.reason });
    logger.warn({ reason: parsed.reason, detail: parsed.detail, serial: readHeader(headers, 'Wechatpay-Serial') }, 'WeChat Pay notification refused');
    return REFUSED;
  }
  deps.metrics.notificationsVerified.inc();
  try {
    const applied = await deps.applyNotification({ envelope: parsed.envelope, transaction: parsed.transaction, now, logger });
    countOutcome(deps.metrics, applied);
    logger.info({ notificationId: parsed.envelope.id, outcome: applied.outcome }, 'WeChat Pay notification processed');
    return HANDLED;
  } catch (err) {
    logger.error({ err, notificationId: parsed.envelope.id }, 'WeChat Pay notification processing failed');
    return FAILED;
  }
}
