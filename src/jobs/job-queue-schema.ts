import PgBoss from 'pg-boss';

/** The PostgreSQL schema that holds the job queue's tables, beside (never inside) the application's. */
export const JOB_QUEUE_SCHEMA = 'pgboss';

/**
 * pg-boss's own construction plan, applied by our migrations instead of by pg-boss at start-up, so that one
 * release step (and one advisory lock) creates every table. The plan wraps itself in `BEGIN … COMMIT`; our
 * migrations already run in one transaction, and a nested COMMIT would end it early, so the wrapper is taken
 * off (the advisory lock and the `SET LOCAL` limits inside it still hold for our transaction). A plan of another
 * shape means pg-boss changed how it builds its schema: refuse rather than guess.
 */
export function jobQueueConstructionSql(schema = JOB_QUEUE_SCHEMA): string {
  const plan = PgBoss.getConstructionPlans(schema).trim();
  if (!plan.startsWith('BEGIN;') || !plan.endsWith('COMMIT;')) throw new Error('pg-boss construction plan is not wrapped in BEGIN … COMMIT');
  return plan.slice('BEGIN;'.length, -'COMMIT;'.length);
}
