import type { StatementTransaction, TransactionRunner } from '../persistence/database-transactions';
import type { PaymentNotificationsRepository } from './payment-notifications-repository';

/** What to answer WeChat: 204 when handled, 4xx/5xx (with WeChat's body shape) to make it retry or stop. */
export type NotificationAnswer = { status: 204 } | { status: 401 | 500; body: { code: 'FAIL'; message: string } };

export const HANDLED: NotificationAnswer = { status: 204 };
/** Refused before anything was read: forged, stale, unknown key, or a `WECHATPAY/SIGNTEST/` probe. */
export const REFUSED: NotificationAnswer = { status: 401, body: { code: 'FAIL', message: 'signature verification failed' } };
/** Nothing was committed; WeChat retries on its schedule (about 24 hours). */
export const FAILED: NotificationAnswer = { status: 500, body: { code: 'FAIL', message: 'processing failed' } };

// Answer within WeChat's 5 s even when a session or refund request holds the order; a 500 makes WeChat retry.
export const NOTIFICATION_LOCK_TIMEOUT_MS = 3000;

/**
 * One database transaction per verified notification, payment or refund: claim its id in the deduplication store
 * (a redelivery stops there), apply it, and record what it did, all or nothing.
 */
export function processClaimedNotification<Tx extends StatementTransaction, Outcome extends string>(
  deps: { run: TransactionRunner<Tx>; notifications: PaymentNotificationsRepository },
  notification: { id: string; eventType: string; outTradeNo: string; now: Date },
  apply: (tx: Tx) => Promise<Outcome>,
): Promise<Outcome | 'duplicate'> {
  return deps.run(
    async (tx) => {
      if (!(await deps.notifications.claim(tx, notification))) return 'duplicate' as const;
      const outcome = await apply(tx);
      await deps.notifications.recordOutcome(tx, notification.id, outcome);
      return outcome;
    },
    { lockTimeoutMs: NOTIFICATION_LOCK_TIMEOUT_MS },
  );
}
