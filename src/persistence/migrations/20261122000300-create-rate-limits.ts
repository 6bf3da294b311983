import { Migration } from '@mikro-orm/migrations';

/** The status-poll rate limit shared across instances (`RATE_LIMIT_STORE=postgres`), in the layout rate-limiter-flexible uses. */
export class Migration20261122000300CreateRateLimits extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists "rate_limits" (
      "key" varchar(255) primary key,
      "points" integer not null default 0,
      "expire" bigint)`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "rate_limits"');
  }
}
