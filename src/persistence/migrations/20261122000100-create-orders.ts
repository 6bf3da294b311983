import { Migration } from '@mikro-orm/migrations';

/** Travelers, their orders with a seat lock, idempotency keys for order creation, and the audit history. */
export class Migration20261122000100CreateOrders extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "users" (
      "id" uuid primary key,
      "openid" varchar(128) not null unique,
      "session_key" text null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null)`);
    this.addSql(`create table "orders" (
      "id" uuid primary key,
      "user_id" uuid not null references "users" ("id"),
      "amount" integer not null check ("amount" > 0),
      "description" varchar(127) not null,
      "status" varchar(16) not null check ("status" in ('pending', 'paid', 'failed', 'cancelled')),
      "lock_expire_at" timestamptz not null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null)`);
    this.addSql(`create index "orders_user_id_index" on "orders" ("user_id")`);
    this.addSql(`create table "idempotency_keys" (
      "user_id" uuid not null references "users" ("id"),
      "key" varchar(128) not null,
      "request_hash" varchar(64) not null,
      "response_status" smallint not null,
      "response_body" text not null,
      "created_at" timestamptz not null,
      primary key ("user_id", "key"))`);
    this.addSql(`create table "payment_status_history" (
      "id" bigserial primary key,
      "order_id" uuid not null references "orders" ("id"),
      "event" varchar(48) not null,
      "from_status" varchar(16) null,
      "to_status" varchar(16) null,
      "source" varchar(16) not null,
      "notification_id" varchar(128) null,
      "detail" jsonb null,
      "created_at" timestamptz not null)`);
    this.addSql(`create index "payment_status_history_order_id_index" on "payment_status_history" ("order_id")`);
    this.addSql(`create index "payment_status_history_created_at_index" on "payment_status_history" ("created_at")`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "payment_status_history", "idempotency_keys", "orders", "users"');
  }
}
