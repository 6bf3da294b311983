import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { RetainedTable, RetentionRepository } from './retention-repository';

export interface RetentionDeps {
  repository: RetentionRepository;
  metrics: Metrics;
  logger: Logger;
  clock: () => Date;
  /** The design's 180 days for the audit history; the notification store follows the same rule. */
  historyRetentionDays: number;
  batchSize?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** An Idempotency-Key is honoured for 24 hours, as Stripe does; a retry after that creates a new order. */
export const IDEMPOTENCY_KEY_RETENTION_MS = DAY_MS;
const DEFAULT_BATCH_SIZE = 1000;

async function purge(deps: RetentionDeps, table: RetainedTable, before: Date): Promise<number> {
  const batchSize = deps.batchSize ?? DEFAULT_BATCH_SIZE;
  let removed = 0;
  for (let batch = batchSize; batch === batchSize;) {
    batch = await deps.repository.deleteBatch(table, before, batchSize);
    removed += batch;
    deps.metrics.retentionRemoved.inc({ table }, batch);
  }
  return removed;
}

/** Deletes every row past its table's window, batch by batch; returns the count per table. */
export async function applyRetention(deps: RetentionDeps): Promise<Record<RetainedTable, number>> {
  const now = deps.clock().getTime();
  const historyBefore = new Date(now - deps.historyRetentionDays * DAY_MS);
  const removed = {
    payment_status_history: await purge(deps, 'payment_status_history', historyBefore),
    payment_notifications: await purge(deps, 'payment_notifications', historyBefore),
    idempotency_keys: await purge(deps, 'idempotency_keys', new Date(now - IDEMPOTENCY_KEY_RETENTION_MS)),
  };
  deps.logger.info({ removed, historyRetentionDays: deps.historyRetentionDays }, 'retention applied');
  return removed;
}
