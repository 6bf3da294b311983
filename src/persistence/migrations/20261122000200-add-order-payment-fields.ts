import { Migration } from '@mikro-orm/migrations';

/**
 * The payment fields on `orders`. Additive only; every new column is
 * nullable (or has a default) so existing rows backfill to NULL without a rewrite.
 */
export class Migration20261122000200AddOrderPaymentFields extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "orders"
      add column "wechat_prepay_id" varchar(64) null,
      add column "payment_token" varchar(32) null,
      add column "payment_status" varchar(32) null,
      add column "payment_requested_at" timestamptz null,
      add column "prepay_request" text null,
      add column "payment_params" text null,
      add column "payer_openid" varchar(128) null,
      add column "wechat_transaction_id" varchar(32) null,
      add column "paid_at" timestamptz null,
      add column "paid_after_cancel" boolean not null default false`);
    // One active WeChat Pay transaction per order, and an out_trade_no never reused across orders.
    this.addSql(`create unique index "orders_payment_token_unique" on "orders" ("payment_token")`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "orders_payment_token_unique"`);
    this.addSql(`alter table "orders"
      drop column "wechat_prepay_id", drop column "payment_token", drop column "payment_status",
      drop column "payment_requested_at", drop column "prepay_request", drop column "payment_params",
      drop column "payer_openid", drop column "wechat_transaction_id", drop column "paid_at",
      drop column "paid_after_cancel"`);
  }
}
