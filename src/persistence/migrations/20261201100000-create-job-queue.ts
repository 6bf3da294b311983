import { Migration } from '@mikro-orm/migrations';
import { JOB_QUEUE_SCHEMA, jobQueueConstructionSql } from '../../jobs/job-queue-schema';

/**
 * The job queue's tables (pg-boss, schema version 24) in their own `pgboss` schema. Created here rather than by
 * pg-boss at start-up so that migrations stay one release step; pg-boss then starts with `migrate: false` and
 * only checks the version. A later pg-boss release comes with its own migration (`getMigrationPlans`).
 */
export class Migration20261201100000CreateJobQueue extends Migration {
  override async up(): Promise<void> {
    this.addSql(jobQueueConstructionSql());
  }

  override async down(): Promise<void> {
    this.addSql(`drop schema if exists "${JOB_QUEUE_SCHEMA}" cascade`);
  }
}
