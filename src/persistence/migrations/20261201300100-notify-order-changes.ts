import { Migration } from '@mikro-orm/migrations';

/**
 * Every committed change to an order is announced on the `order_changed` channel with the order's id, whoever
 * wrote it (this API, another instance, a job, a manual fix): instances drop what they keep in memory about it.
 * The trigger function takes the name of the column holding the order id, so a table about orders (refunds, …)
 * can announce its changes the same way: `execute function notify_order_changed('order_id')`.
 * PostgreSQL delivers a notification only at commit, and never for a rolled-back transaction.
 */
export class Migration20261201300100NotifyOrderChanges extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function "notify_order_changed"() returns trigger language plpgsql as $$
      begin
        perform pg_notify('order_changed', coalesce(to_jsonb(new) ->> tg_argv[0], to_jsonb(old) ->> tg_argv[0]));
        return null;
      end $$`);
    // Inserts are not announced: nothing is kept about an order before it is first read.
    this.addSql(`create trigger "orders_notify_changed" after update or delete on "orders"
      for each row execute function "notify_order_changed"('id')`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger if exists "orders_notify_changed" on "orders"');
    this.addSql('drop function if exists "notify_order_changed"()');
  }
}
