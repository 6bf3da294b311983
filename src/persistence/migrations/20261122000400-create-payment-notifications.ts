import { Migration } from '@mikro-orm/migrations';

/** Every verified WeChat Pay notification id, once: a redelivery finds its id here and changes nothing. */
export class Migration20261122000400CreatePaymentNotifications extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "payment_notifications" (
      "id" varchar(128) primary key,
      "event_type" varchar(48) not null,
      "out_trade_no" varchar(32) null,
      "outcome" varchar(32) not null,
      "received_at" timestamptz not null)`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "payment_notifications"');
  }
}
