import { defineJob } from '../jobs/job-definition';
import type { JobQueue } from '../jobs/job-queue';
import { applyRetention, type RetentionDeps } from './apply-retention';

export const retentionJob = defineJob<Record<string, never>>('retention', { retry: { limit: 3, delaySeconds: 60, backoff: true }, expireInSeconds: 3600 });

/** Daily at 03:15 UTC (a quiet hour in China), once across all instances. */
export const RETENTION_CRON = '15 3 * * *';

export function registerRetention(jobs: JobQueue, deps: RetentionDeps): void {
  jobs.schedule(retentionJob, RETENTION_CRON, {});
  jobs.work(retentionJob, async () => {
    await applyRetention(deps);
  });
}
