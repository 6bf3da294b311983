import { Client } from 'pg';
import PgBoss from 'pg-boss';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { JobContext, JobDefinition, JobHandler, SendJobOptions } from './job-definition';
import { JOB_QUEUE_SCHEMA } from './job-queue-schema';

export interface JobQueueOptions {
  databaseUrl: string;
  logger: Logger;
  metrics: Pick<Metrics, 'jobsRun' | 'jobsFailed'>;
  /** False (`JOBS=off`): this instance sends jobs but runs none, and leaves maintenance and schedules to others. */
  runsJobs: boolean;
  /** How often an idle worker looks for due jobs (pg-boss allows 500 ms and up). */
  pollingMs: number;
  /** Connections the queue keeps, apart from the application's pool. */
  poolMax: number;
  /** How long `stop()` lets running jobs finish before failing them back to the queue (to be retried). */
  stopTimeoutMs?: number;
}

/** A job queue on the application's PostgreSQL: jobs survive restarts, and each due job runs on one instance once. */
export interface JobQueue {
  readonly runsJobs: boolean;
  /** The handler this instance runs for a kind of job. Register before `start()`; ignored with `JOBS=off`. */
  work<T extends object>(job: JobDefinition<T>, handler: JobHandler<T>): void;
  /** A job sent on a cron schedule (UTC), once per tick across all instances. Register before `start()`. */
  schedule<T extends object>(job: JobDefinition<T>, cron: string, data: T): void;
  /** A job sent every `seconds` (for periods below cron's minute), once per period across all instances. */
  every<T extends object>(job: JobDefinition<T>, seconds: number, data: T): void;
  /** Queues a job; `null` when a singleton, debounce or throttle rule dropped it. */
  send<T extends object>(job: JobDefinition<T>, data: T, options?: SendJobOptions): Promise<string | null>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface Registration {
  job: JobDefinition<object>;
  handler: JobHandler<object>;
}

const DEADLOCK_DETECTED = '40P01';
const SCHEMA_RECHECK_MS = 2000;

/** True once our migrations created the queue's tables (pg-boss's own check would leave its instance half started). */
async function schemaIsReady(databaseUrl: string): Promise<boolean> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ found: string | null }>(`select to_regclass('${JOB_QUEUE_SCHEMA}.version') as found`);
    return Boolean(rows[0]?.found);
  } finally {
    await client.end();
  }
}

function queueOptions(job: JobDefinition<object>): PgBoss.Queue {
  return {
    name: job.name,
    policy: job.policy,
    retryLimit: job.retry.limit,
    retryDelay: job.retry.delaySeconds,
    retryBackoff: job.retry.backoff,
    expireInSeconds: job.expireInSeconds,
  };
}

function sendOptions(options: SendJobOptions): PgBoss.SendOptions {
  const { startAfter, singletonKey } = options;
  return { ...(startAfter !== undefined && { startAfter }), ...(singletonKey !== undefined && { singletonKey }) };
}

export function createJobQueue(options: JobQueueOptions): JobQueue {
  const { logger, metrics, runsJobs } = options;
  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    schema: JOB_QUEUE_SCHEMA,
    max: options.poolMax,
    application_name: 'payment-jobs',
    // The schema comes from our migrations (src/jobs/job-queue-schema.ts); pg-boss only checks its version.
    migrate: false,
    // Maintenance (expiring stuck jobs, archiving) and the cron clock run where jobs run.
    supervise: runsJobs,
    schedule: runsJobs,
  });
  boss.on('error', (err) => logger.error({ err }, 'job queue error'));
  const registrations: Registration[] = [];
  const schedules: { job: JobDefinition<object>; cron: string; data: object }[] = [];
  const periodic: { job: JobDefinition<object>; seconds: number; data: object }[] = [];
  const timers: NodeJS.Timeout[] = [];
  const queues = new Map<string, Promise<void>>();
  let started = false;
  let stopping = false;
  /** A start still under way when `stop()` is called: stopped once it completes. */
  let booting: Promise<void> | undefined;

  /** Created on first use by whichever instance gets there first; `createQueue` is idempotent. */
  function ensureQueue(job: JobDefinition<object>): Promise<void> {
    let ready = queues.get(job.name);
    if (!ready) {
      ready = createQueue(job).then(() => boss.updateQueue(job.name, queueOptions(job)));
      ready.catch(() => queues.delete(job.name));
      queues.set(job.name, ready);
    }
    return ready;
  }

  /**
   * Two instances creating the same queue at once can deadlock inside pg-boss's `create_queue` (it inserts the
   * queue row, then creates and attaches its partition): PostgreSQL aborts one, which then finds the queue made.
   */
  async function createQueue(job: JobDefinition<object>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (await boss.getQueue(job.name)) return;
        await boss.createQueue(job.name, queueOptions(job));
        return;
      } catch (err) {
        if ((err as { code?: string }).code !== DEADLOCK_DETECTED || attempt >= 5) throw err;
        await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80 * attempt));
      }
    }
  }

  async function runOne({ job, handler }: Registration, context: JobContext, data: object): Promise<void> {
    metrics.jobsRun.inc({ job: job.name });
    try {
      await handler(data, context);
    } catch (err) {
      metrics.jobsFailed.inc({ job: job.name });
      logger.warn({ err, job: job.name, jobId: context.id }, 'job failed: retried with backoff while attempts remain');
      // Failed on its own (retried per the queue's policy); pg-boss completes the batch's other jobs.
      await boss.fail(job.name, context.id, { message: err instanceof Error ? err.message : String(err) });
    }
  }

  async function startWorkers(): Promise<void> {
    for (const registration of registrations) {
      await ensureQueue(registration.job);
      const workOptions = { pollingIntervalSeconds: options.pollingMs / 1000, batchSize: registration.job.batchSize };
      for (let i = 0; i < registration.job.concurrency; i++) {
        await boss.work<object>(registration.job.name, workOptions, async (jobs) => {
          await Promise.all(jobs.map((job) => runOne(registration, { id: job.id, name: job.name }, job.data)));
        });
      }
    }
    for (const { job, cron, data } of schedules) {
      await ensureQueue(job);
      await boss.schedule(job.name, cron, data, { tz: 'UTC' });
    }
    for (const { job, seconds, data } of periodic) startPeriodic(job, seconds, data);
  }

  async function startBoss(): Promise<void> {
    await boss.start();
    started = true;
    if (runsJobs) await startWorkers();
    logger.info({ runsJobs, workers: runsJobs ? registrations.map((r) => r.job.name) : [] }, 'job queue started');
  }

  /** With MIGRATE_ON_START=false the API may start before `npm run migrate`: the queue starts once the schema exists. */
  function startWhenSchemaReady(): void {
    const timer = setInterval(() => {
      schemaIsReady(options.databaseUrl)
        .then(async (ready) => {
          if (!ready || stopping || booting) return;
          clearInterval(timer);
          booting = startBoss();
          await booting;
        })
        .catch((err: unknown) => logger.error({ err }, 'job queue start failed'));
    }, SCHEMA_RECHECK_MS);
    timer.unref();
    timers.push(timer);
  }

  /** Every instance ticks; the throttle slot (by the database's clock) lets one job per period through. */
  function startPeriodic(job: JobDefinition<object>, seconds: number, data: object): void {
    const tick = () =>
      void send(job, data, { throttle: { key: job.name, seconds } }).catch((err) => logger.warn({ err, job: job.name }, 'periodic job not sent'));
    tick();
    const timer = setInterval(tick, seconds * 1000);
    timer.unref();
    timers.push(timer);
  }

  async function send<T extends object>(job: JobDefinition<T>, data: T, sendWith: SendJobOptions = {}): Promise<string | null> {
    if (!started) throw new Error(`job queue not started: cannot send ${job.name}`);
    await ensureQueue(job);
    const base = sendOptions(sendWith);
    if (sendWith.debounce) return boss.sendDebounced(job.name, data, base, sendWith.debounce.seconds, sendWith.debounce.key);
    if (sendWith.throttle) return boss.sendThrottled(job.name, data, base, sendWith.throttle.seconds, sendWith.throttle.key);
    return boss.send(job.name, data, base);
  }

  return {
    runsJobs,
    work(job, handler) {
      if (started) throw new Error(`register ${job.name} before the job queue starts`);
      registrations.push({ job, handler: handler as JobHandler<object> });
    },
    schedule(job, cron, data) {
      schedules.push({ job, cron, data });
    },
    every(job, seconds, data) {
      periodic.push({ job, seconds, data });
    },
    send,
    async start() {
      if (await schemaIsReady(options.databaseUrl)) return startBoss();
      logger.warn('job queue schema missing (migrations pending): jobs start once `npm run migrate` has run');
      startWhenSchemaReady();
    },
    async stop() {
      stopping = true;
      for (const timer of timers.splice(0)) clearInterval(timer);
      await booting?.catch(() => undefined);
      if (!started) return;
      started = false;
      await boss.stop({ graceful: true, wait: true, timeout: options.stopTimeoutMs ?? 10_000 });
    },
  };
}
