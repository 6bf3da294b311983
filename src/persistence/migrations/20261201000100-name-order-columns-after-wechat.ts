import { Migration } from '@mikro-orm/migrations';

/**
 * The code now calls these WeChat's words: `out_trade_no` and `trade_state`. Additive only: the new columns are
 * added and backfilled, and a trigger keeps the original `payment_token` / `payment_status` equal to them, so a
 * report or tool that reads the old names keeps working. Nothing is dropped.
 */
export class Migration20261201000100NameOrderColumnsAfterWechat extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "orders" add column "out_trade_no" varchar(32) null, add column "trade_state" varchar(32) null');
    this.addSql('update "orders" set "out_trade_no" = "payment_token", "trade_state" = "payment_status"');
    this.addSql('alter table "orders" add constraint "orders_out_trade_no_unique" unique ("out_trade_no")');
    this.addSql(`create function "orders_mirror_wechat_columns"() returns trigger language plpgsql as $$
      begin
        new.payment_token := new.out_trade_no;
        new.payment_status := new.trade_state;
        return new;
      end $$`);
    this.addSql(`create trigger "orders_mirror_wechat_columns" before insert or update on "orders"
      for each row execute function "orders_mirror_wechat_columns"()`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger if exists "orders_mirror_wechat_columns" on "orders"');
    this.addSql('drop function if exists "orders_mirror_wechat_columns"()');
    this.addSql('alter table "orders" drop constraint if exists "orders_out_trade_no_unique"');
    this.addSql('alter table "orders" drop column if exists "out_trade_no", drop column if exists "trade_state"');
  }
}
