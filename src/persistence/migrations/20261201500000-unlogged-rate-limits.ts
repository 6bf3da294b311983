import { Migration } from '@mikro-orm/migrations';

/**
 * Rate-limit counters need no durability: an unlogged table writes no WAL, so counting a hit never waits for a
 * WAL flush at commit. After a crash PostgreSQL empties it, which only gives every key a fresh window.
 */
export class Migration20261201500000UnloggedRateLimits extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "rate_limits" set unlogged');
  }

  override async down(): Promise<void> {
    this.addSql('alter table "rate_limits" set logged');
  }
}
