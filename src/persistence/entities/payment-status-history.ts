import { EntitySchema } from '@mikro-orm/core';
import { Order } from './order';

export type HistorySource = 'api' | 'webhook' | 'reconciler' | 'expiry' | 'admin' | 'job';

/** Append-only audit: one row per state change or payment event of an order (kept 180 days by design). */
export class PaymentStatusHistory {
  id!: string;
  orderId!: string;
  event!: string;
  fromStatus?: string;
  toStatus?: string;
  source!: HistorySource;
  /** WeChat notification id, when the event came from one. */
  notificationId?: string;
  detail?: Record<string, unknown>;
  createdAt: Date = new Date();
}

export const PaymentStatusHistorySchema = new EntitySchema<PaymentStatusHistory>({
  class: PaymentStatusHistory,
  tableName: 'payment_status_history',
  properties: {
    id: { type: 'bigint', primary: true, autoincrement: true },
    // A relation (mapped to the plain id) so the unit of work inserts the order before its history.
    orderId: { kind: 'm:1', entity: () => Order, fieldName: 'order_id', mapToPk: true },
    event: { type: 'string', length: 48 },
    fromStatus: { type: 'string', length: 16, nullable: true },
    toStatus: { type: 'string', length: 16, nullable: true },
    source: { type: 'string', length: 16 },
    notificationId: { type: 'string', length: 128, nullable: true },
    detail: { type: 'json', nullable: true },
    createdAt: { type: 'datetime', columnType: 'timestamptz', index: true },
  },
});
