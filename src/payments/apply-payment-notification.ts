import type { Logger } from '../observability/logger';
import type { OrdersRepository } from '../orders/orders-repository';
import type { Order } from '../persistence/entities/order';
import type { DatabaseTransactions, StatementTransaction } from '../persistence/database-transactions';
import type { WechatPayNotificationEnvelope, WechatTransaction } from '../wechatpay-sdk';
import { applyWechatTransaction, type TransactionOutcome } from './apply-wechat-transaction';
import type { NotificationClaim, PaymentNotificationsRepository } from './payment-notifications-repository';
import { NOTIFICATION_LOCK_TIMEOUT_MS, processClaimedNotification } from './process-claimed-notification';

export type NotificationOutcome = TransactionOutcome | 'duplicate' | 'unknown_order' | 'ignored_event';

export interface ApplyNotificationDeps {
  orders: OrdersRepository;
  notifications: PaymentNotificationsRepository;
  transactions: DatabaseTransactions;
  merchant: { appId: string; mchId: string };
}

/** A notification whose signature was verified and whose transaction was decrypted. */
export interface VerifiedNotification {
  envelope: WechatPayNotificationEnvelope;
  transaction: WechatTransaction;
  now: Date;
  logger: Logger;
}

export interface AppliedNotification {
  outcome: NotificationOutcome;
  /** Fields that disagreed with our records, counted once the transaction committed. */
  mismatches: string[];
}

const claimOf = ({ envelope, transaction, now }: VerifiedNotification): NotificationClaim => ({
  id: envelope.id,
  eventType: envelope.event_type,
  outTradeNo: transaction.out_trade_no,
  now,
});

/** Hands a claimed notification's transaction, with its locked order, to the one function that applies WeChat's word. */
async function applyToOrder(deps: ApplyNotificationDeps, tx: StatementTransaction, notification: VerifiedNotification, order: Order | null) {
  if (!order) return { outcome: 'unknown_order' as const, mismatches: [] };
  const { envelope, transaction, now, logger } = notification;
  const origin = { source: 'webhook' as const, now, notificationId: envelope.id };
  return applyWechatTransaction({ orders: deps.orders, merchant: deps.merchant, logger }, tx, order, transaction, origin);
}

/**
 * One transaction for one verified notification: claim its id (redeliveries stop here), lock the order, apply,
 * record the outcome. Every statement is the repositories' own SQL: no unit of work to open, track or flush.
 */
export async function applyPaymentNotification(deps: ApplyNotificationDeps, notification: VerifiedNotification): Promise<AppliedNotification> {
  let mismatches: string[] = [];
  const run = deps.transactions.runStatements;
  const outcome = await processClaimedNotification({ run, notifications: deps.notifications }, claimOf(notification), async (tx) => {
    if (notification.envelope.event_type !== 'TRANSACTION.SUCCESS') return 'ignored_event' as const;
    const applied = await applyToOrder(deps, tx, notification, await deps.orders.lockByOutTradeNo(tx, notification.transaction.out_trade_no));
    mismatches = applied.mismatches;
    return applied.outcome;
  });
  return { outcome, mismatches };
}

/**
 * Several TRANSACTION.SUCCESS notifications in one transaction, with the same steps as one alone: all ids claimed
 * and their orders locked in one statement, each applied in turn (their writes held back and written in one
 * statement), all outcomes recorded in one statement. A notification whose id repeats an earlier one of the group
 * is a duplicate (the earlier one's claim commits with it).
 */
export function applyPaymentNotificationGroup(deps: ApplyNotificationDeps, notifications: VerifiedNotification[]): Promise<AppliedNotification[]> {
  const firsts = new Map<string, VerifiedNotification>();
  for (const notification of notifications) if (!firsts.has(notification.envelope.id)) firsts.set(notification.envelope.id, notification);
  // Claimed in id order: two groups inserting overlapping ids wait on each other in the same order, never in a cycle.
  const claims = [...firsts.values()].map(claimOf).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return deps.transactions.runStatements(
    async (tx) => {
      const locked = await deps.orders.lockClaimedByOutTradeNo(tx, deps.notifications.claimAll(claims));
      // Every order is locked: their moves and history rows are written together, in one statement.
      const applied = await deps.orders.collectWrites(tx, async (collecting) => {
        const results: AppliedNotification[] = [];
        for (const notification of notifications) {
          const claimed = firsts.get(notification.envelope.id) === notification && locked.has(notification.envelope.id);
          const order = locked.get(notification.envelope.id) ?? null;
          results.push(claimed ? await applyToOrder(deps, collecting, notification, order) : { outcome: 'duplicate', mismatches: [] });
        }
        return results;
      });
      const recorded = notifications.map((n, i) => ({ id: n.envelope.id, outcome: applied[i]?.outcome as string })).filter((o) => o.outcome !== 'duplicate');
      await deps.notifications.recordOutcomes(tx, recorded);
      return applied;
    },
    { lockTimeoutMs: NOTIFICATION_LOCK_TIMEOUT_MS },
  );
}
