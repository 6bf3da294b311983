import { Migration } from '@mikro-orm/migrations';

/**
 * The expiry sweep looks for pending orders past their seat lock, and the retention job for old rows: indexes so
 * neither reads whole tables. The orders index is partial: pending orders are few, finished ones many.
 */
export class Migration20261201100100IndexLapsedOrdersAndRetainedRows extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "orders_pending_lock_expire_at_index" on "orders" ("lock_expire_at") where "status" = 'pending'`);
    this.addSql(`create index "payment_notifications_received_at_index" on "payment_notifications" ("received_at")`);
    this.addSql(`create index "idempotency_keys_created_at_index" on "idempotency_keys" ("created_at")`);
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists "orders_pending_lock_expire_at_index"');
    this.addSql('drop index if exists "payment_notifications_received_at_index"');
    this.addSql('drop index if exists "idempotency_keys_created_at_index"');
  }
}
