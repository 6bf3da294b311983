import { Migration } from '@mikro-orm/migrations';

/**
 * Refunds, each with the exact body sent to WeChat Pay, and the operator audit log. The rules that money depends on
 * live in the database, so no code path (nor a second instance, nor a hand-written statement) can break them:
 * - a refund row can only be inserted for an order that is paid, or flagged paid after cancel;
 * - `orders.refund_amount` is the sum of the order's refunds that still count (not CLOSED, not REJECTED), kept
 *   by the trigger with relative updates (`refund_amount + n`), which PostgreSQL re-applies to the newest row
 *   version when concurrent refunds queue on the order row; a CHECK caps it at the order's amount.
 */
export class Migration20261201200000CreateRefunds extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "orders"
      add column "refund_amount" integer not null default 0,
      add column "refunded_amount" integer not null default 0,
      add constraint "orders_refunds_within_amount" check (
        "refunded_amount" >= 0 and "refunded_amount" <= "refund_amount" and "refund_amount" <= "amount")`);
    this.addSql(`create table "refunds" (
      "id" uuid primary key,
      "order_id" uuid not null references "orders" ("id"),
      "out_refund_no" varchar(64) not null unique,
      "amount" integer not null check ("amount" > 0),
      "reason" varchar(80) null,
      "status" varchar(16) not null check ("status" in ('PENDING', 'PROCESSING', 'SUCCESS', 'CLOSED', 'ABNORMAL', 'REJECTED')),
      "request_body" text not null,
      "idempotency_key" varchar(128) not null unique,
      "request_hash" varchar(64) not null,
      "first_answer" text null,
      "requested_by" varchar(64) not null,
      "wechat_refund_id" varchar(64) null,
      "channel" varchar(32) null,
      "user_received_account" varchar(128) null,
      "failure_code" varchar(64) null,
      "failure_message" varchar(256) null,
      "success_time" timestamptz null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null)`);
    this.addSql(`create index "refunds_order_id_index" on "refunds" ("order_id")`);
    this.addSql(`create index "refunds_unsettled_index" on "refunds" ("updated_at") where "status" in ('PENDING', 'PROCESSING')`);
    this.addSql(`create function "refunds_keep_order_totals"() returns trigger language plpgsql as $$
      declare
        counted_before integer := 0;
        settled_before integer := 0;
        counted_after integer := case when new.status in ('CLOSED', 'REJECTED') then 0 else new.amount end;
        settled_after integer := case when new.status = 'SUCCESS' then new.amount else 0 end;
      begin
        if tg_op = 'INSERT' then
          update "orders" set "refund_amount" = "refund_amount" + counted_after, "refunded_amount" = "refunded_amount" + settled_after
            where "id" = new.order_id and ("status" = 'paid' or "paid_after_cancel");
          if not found then
            raise exception 'only a paid order, or one paid after cancel, can be refunded'
              using errcode = 'check_violation', constraint = 'refunds_order_refundable';
          end if;
          return new;
        end if;
        if new.order_id <> old.order_id or new.amount <> old.amount then
          raise exception 'a refund keeps its order and amount' using errcode = 'check_violation', constraint = 'refunds_amount_fixed';
        end if;
        counted_before := case when old.status in ('CLOSED', 'REJECTED') then 0 else old.amount end;
        settled_before := case when old.status = 'SUCCESS' then old.amount else 0 end;
        if counted_after <> counted_before or settled_after <> settled_before then
          update "orders" set "refund_amount" = "refund_amount" + counted_after - counted_before,
            "refunded_amount" = "refunded_amount" + settled_after - settled_before
            where "id" = new.order_id;
        end if;
        return new;
      end $$`);
    this.addSql(`create trigger "refunds_keep_order_totals" after insert or update on "refunds"
      for each row execute function "refunds_keep_order_totals"()`);
    this.addSql(`create table "operator_audit_log" (
      "id" bigserial primary key,
      "key_id" varchar(64) not null,
      "action" varchar(48) not null,
      "order_id" uuid null,
      "refund_id" uuid null,
      "request_id" varchar(128) null,
      "detail" jsonb null,
      "created_at" timestamptz not null)`);
    this.addSql(`create index "operator_audit_log_created_at_index" on "operator_audit_log" ("created_at")`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "operator_audit_log"');
    this.addSql('drop trigger if exists "refunds_keep_order_totals" on "refunds"');
    this.addSql('drop function if exists "refunds_keep_order_totals"()');
    this.addSql('drop table if exists "refunds"');
    this.addSql('alter table "orders" drop constraint if exists "orders_refunds_within_amount"');
    this.addSql('alter table "orders" drop column if exists "refund_amount", drop column if exists "refunded_amount"');
  }
}
