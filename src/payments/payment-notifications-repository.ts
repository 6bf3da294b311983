import type { StatementTransaction } from '../persistence/database-transactions';

/** Every verified WeChat Pay notification id, once, with what it did: the deduplication store. */
export class PaymentNotificationsRepository {
  /** Records the id; false when it was recorded before (a redelivery). */
  async claim(tx: StatementTransaction, notification: { id: string; eventType: string; outTradeNo: string; now: Date }): Promise<boolean> {
    const rows = await tx.query(
      `insert into payment_notifications (id, event_type, out_trade_no, outcome, received_at) values (?, ?, ?, 'received', ?)
       on conflict (id) do nothing returning id`,
      [notification.id, notification.eventType, notification.outTradeNo, notification.now],
    );
    return rows.length === 1;
  }

  async recordOutcome(tx: StatementTransaction, id: string, outcome: string): Promise<void> {
    await tx.query('update payment_notifications set outcome = ? where id = ?', [outcome, id]);
  }
}
