import type { StatementTransaction } from '../persistence/database-transactions';

export interface NotificationClaim {
  id: string;
  eventType: string;
  outTradeNo: string;
  now: Date;
}

/** A statement for another repository to run inside its own (`with claim as (…)`): it keeps its SQL, we keep ours. */
export interface ClaimStatement {
  sql: string;
  params: unknown[];
}

/** Every verified WeChat Pay notification id, once, with what it did: the deduplication store. */
export class PaymentNotificationsRepository {
  /** Records the id; false when it was recorded before (a redelivery). */
  async claim(tx: StatementTransaction, notification: NotificationClaim): Promise<boolean> {
    const rows = await tx.query(
      `insert into payment_notifications (id, event_type, out_trade_no, outcome, received_at) values (?, ?, ?, 'received', ?)
       on conflict (id) do nothing returning id`,
      [notification.id, notification.eventType, notification.outTradeNo, notification.now],
    );
    return rows.length === 1;
  }

  /** Records several ids at once; returns `id, out_trade_no` of each one not recorded before. Ids must be distinct. */
  claimAll(notifications: NotificationClaim[]): ClaimStatement {
    return {
      sql: `insert into payment_notifications (id, event_type, out_trade_no, outcome, received_at)
        select id, event_type, out_trade_no, 'received', received_at
        from unnest(?::text[], ?::text[], ?::text[], ?::timestamptz[]) as claimed (id, event_type, out_trade_no, received_at)
        on conflict (id) do nothing returning id, out_trade_no`,
      params: [notifications.map((n) => n.id), notifications.map((n) => n.eventType), notifications.map((n) => n.outTradeNo), notifications.map((n) => n.now)],
    };
  }

  async recordOutcome(tx: StatementTransaction, id: string, outcome: string): Promise<void> {
    await tx.query('update payment_notifications set outcome = ? where id = ?', [outcome, id]);
  }

  async recordOutcomes(tx: StatementTransaction, outcomes: { id: string; outcome: string }[]): Promise<void> {
    if (outcomes.length === 0) return;
    await tx.query(
      `update payment_notifications set outcome = recorded.outcome
       from unnest(?::text[], ?::text[]) as recorded (id, outcome) where payment_notifications.id = recorded.id`,
      [outcomes.map((o) => o.id), outcomes.map((o) => o.outcome)],
    );
  }
}
