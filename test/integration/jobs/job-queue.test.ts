import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { defineJob, type JobDefinition } from '../../../src/jobs/job-definition';
import { createJobQueue, type JobQueue } from '../../../src/jobs/job-queue';
import { createLogger } from '../../../src/observability/logger';
import { createMetrics, type Metrics } from '../../../src/observability/metrics';
import { eventually } from '../helpers/eventually';

const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');

async function query<T>(sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('the job queue on PostgreSQL', () => {
  const open: JobQueue[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((queue) => queue.stop()));
  });

  function jobQueue(runsJobs: boolean, metrics: Metrics = createMetrics()): JobQueue {
    const queue = createJobQueue({ databaseUrl: process.env.DATABASE_URL as string, logger, metrics, runsJobs, pollingMs: 500, poolMax: 2 });
    open.push(queue);
    return queue;
  }

  const testJob = (options: Parameters<typeof defineJob>[1] = {}): JobDefinition<{ n: number }> =>
    defineJob<{ n: number }>(`test-${randomUUID().slice(0, 8)}`, options);

  describe('given a fresh database', () => {
    it('has the queue schema from our migrations, at the version pg-boss expects', async () => {
      const [version] = await query<{ version: number }>('select version from pgboss.version');
      const [migration] = await query<{ name: string }>("select name from mikro_orm_migrations where name = '20261201100000-create-job-queue'");
      expect(version?.version).toBe(24);
      expect(migration?.name).toBe('20261201100000-create-job-queue');
    });
  });

  describe('given two instances working the same queue', () => {
    it('runs each job exactly once', async () => {
      const job = testJob({ concurrency: 2, batchSize: 5 });
      const runs: number[] = [];
      const [first, second] = [jobQueue(true), jobQueue(true)];
      for (const queue of [first, second]) queue?.work(job, async ({ n }) => void runs.push(n));
      await Promise.all([first?.start(), second?.start()]);
      for (let n = 0; n < 30; n++) await (n % 2 ? first : second)?.send(job, { n });

      await eventually(
        () => runs.length,
        (count) => count >= 30,
      );
      await new Promise((resolve) => setTimeout(resolve, 1000)); // a second run would show up within a poll
      expect([...runs].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, n) => n));
    });
  });

  describe('given a job whose first two attempts fail', () => {
    it('retries it until it succeeds, counting every attempt and failure', async () => {
      const job = testJob({ retry: { limit: 3, delaySeconds: 0, backoff: false } });
      const metrics = createMetrics();
      let attempts = 0;
      const queue = jobQueue(true, metrics);
      queue.work(job, async () => {
        attempts += 1;
        if (attempts <= 2) throw new Error(`attempt ${attempts} fails`);
      });
      await queue.start();
      const id = await queue.send(job, { n: 1 });

      const [row] = await eventually(
        () => query<{ state: string; retry_count: number }>(`select state, retry_count from pgboss.job where id = $1`, [id]),
        (rows) => rows[0]?.state === 'completed',
      );
      expect(row).toEqual({ state: 'completed', retry_count: 2 });
      expect((await metrics.jobsRun.get()).values).toEqual([expect.objectContaining({ labels: { job: job.name }, value: 3 })]);
      expect((await metrics.jobsFailed.get()).values).toEqual([expect.objectContaining({ labels: { job: job.name }, value: 2 })]);
    });
  });

  describe('given a batch in which one job fails', () => {
    it('retries only that job and completes the others', async () => {
      const job = testJob({ batchSize: 3, retry: { limit: 1, delaySeconds: 0, backoff: false } });
      const runs: number[] = [];
      const queue = jobQueue(true);
      queue.work(job, async ({ n }) => {
        runs.push(n);
        if (n === 2 && runs.filter((run) => run === 2).length === 1) throw new Error('first attempt of job 2 fails');
      });
      await queue.start();
      for (let n = 1; n <= 3; n++) await queue.send(job, { n });

      const rows = await eventually(
        () =>
          query<{ n: number; state: string; retry_count: number }>(
            "select (data->>'n')::int as n, state, retry_count from pgboss.job where name = $1 order by 1",
            [job.name],
          ),
        (found) => found.length === 3 && found.every((row) => row.state === 'completed'),
      );
      expect(runs.sort()).toEqual([1, 2, 2, 3]);
      expect(rows).toEqual([
        { n: 1, state: 'completed', retry_count: 0 },
        { n: 2, state: 'completed', retry_count: 1 },
        { n: 3, state: 'completed', retry_count: 0 },
      ]);
    });
  });

  describe('given a job defined with backoff', () => {
    it('stores its retry policy on the queue', async () => {
      const job = testJob({ retry: { limit: 7, delaySeconds: 3, backoff: true }, policy: 'stately', expireInSeconds: 120 });
      const queue = jobQueue(false);
      await queue.start();
      await queue.send(job, { n: 1 });
      const [row] = await query('select policy, retry_limit, retry_delay, retry_backoff, expire_seconds from pgboss.queue where name = $1', [job.name]);
      expect(row).toEqual({ policy: 'stately', retry_limit: 7, retry_delay: 3, retry_backoff: true, expire_seconds: 120 });
    });
  });

  describe('given a job queued by an instance that runs none (JOBS=off)', () => {
    it('waits in the database and runs once a worker starts, after the sender stopped', async () => {
      const job = testJob();
      const sender = jobQueue(false);
      const ran: number[] = [];
      sender.work(job, async ({ n }) => void ran.push(n));
      await sender.start();
      await sender.send(job, { n: 42 });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(ran).toEqual([]);
      await sender.stop();

      const worker = jobQueue(true);
      worker.work(job, async ({ n }) => void ran.push(n));
      await worker.start();
      expect(
        await eventually(
          () => ran,
          (values) => values.length > 0,
        ),
      ).toEqual([42]);
    });
  });

  describe('given the same debounce key sent five times at once', () => {
    it('queues one job now and at most one for the next slot', async () => {
      const job = testJob();
      const queue = jobQueue(false);
      await queue.start();
      // Slots are whole minutes since the epoch: a burst that crossed one would see three slots, not two.
      const intoSlotMs = Date.now() % 60_000;
      if (intoSlotMs > 50_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoSlotMs + 100));
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push(await queue.send(job, { n: i }, { debounce: { key: 'order-1', seconds: 60 } }));
      const queued = ids.filter((id) => id !== null);
      expect(queued.length).toBeGreaterThanOrEqual(1);
      expect(queued.length).toBeLessThanOrEqual(2);
      const [count] = await query<{ count: string }>('select count(*) from pgboss.job where name = $1', [job.name]);
      expect(Number(count?.count)).toBe(queued.length);
    });
  });

  describe('given a periodic job on two instances', () => {
    it('sends one job per period, whichever instance ticks', async () => {
      const job = testJob();
      const [first, second] = [jobQueue(true), jobQueue(true)];
      for (const queue of [first, second]) {
        queue?.every(job, 60, { n: 0 });
        queue?.work(job, async () => undefined);
      }
      await Promise.all([first?.start(), second?.start()]);
      const rows = await eventually(
        () => query<{ id: string }>('select id from pgboss.job where name = $1', [job.name]),
        (found) => found.length > 0,
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(rows).toHaveLength(1);
      expect(await query('select id from pgboss.job where name = $1', [job.name])).toHaveLength(1);
    });
  });

  describe('given a stopped queue', () => {
    it('refuses to send, naming the job', async () => {
      const job = testJob();
      const queue = jobQueue(false);
      await queue.start();
      await queue.stop();
      await expect(queue.send(job, { n: 1 })).rejects.toThrow(`job queue not started: cannot send ${job.name}`);
    });
  });
});
