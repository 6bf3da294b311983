/**
 * `npm run bench`: figures for the hot paths, against a local stack on 127.0.0.1 (embedded PostgreSQL in a
 * temporary folder, the sandbox WeChat Pay, one API instance). Bounded: it makes a fixed number of requests
 * and stops everything it started. Prints figures; asserts nothing (timings belong here, not in tests).
 *
 * BENCH_ORDERS (default 200) orders, BENCH_CONCURRENCY (default 16) requests in flight.
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/env';
import { createLogger } from '../src/observability/logger';
import { startEmbeddedPostgres } from '../src/persistence/embedded-postgres';
import { createSandboxCredentials, startSandbox } from '../sandbox';
import { startPaymentApi } from '../src/start-payment-api';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, string> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, string> };
}

/** Runs `task` for each item with at most CONCURRENCY in flight; returns each call's latency in ms. */
async function measure<T>(items: T[], task: (item: T) => Promise<number>): Promise<{ latencies: number[]; seconds: number; failures: number }> {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      const t0 = performance.now();
      const status = await task(item);
      latencies.push(performance.now() - t0);
      if (status >= 400) failures++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { latencies, seconds: (performance.now() - started) / 1000, failures };
}

function report(name: string, { latencies, seconds, failures }: { latencies: number[]; seconds: number; failures: number }): void {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(1);
  process.stdout.write(
    `${name.padEnd(28)} n=${String(sorted.length).padStart(4)}  ${(sorted.length / seconds).toFixed(0).padStart(5)} req/s  ` +
      `p50 ${at(0.5).padStart(6)} ms  p95 ${at(0.95).padStart(6)} ms  p99 ${at(0.99).padStart(6)} ms  failures ${failures}\n`,
  );
}

async function main(): Promise<void> {
  const logger = createLogger('warn');
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-'));
  chmodSync(dataDir, 0o755);
  const postgres = await startEmbeddedPostgres({ dataDir, port: 56000 + Math.floor(Math.random() * 1000), logger });
  const sandbox = await startSandbox({ credentials: createSandboxCredentials(), port: 0, logger });
  const config = loadConfig({ PORT: '0', METRICS_PORT: '0', LOG_LEVEL: 'warn', DATABASE_URL: postgres.url });
  let api: Awaited<ReturnType<typeof startPaymentApi>> | undefined;
  try {
    // The notify URL is not used by this run (nobody pays), so the API's own port is not needed up front.
    const settings = sandbox.wechatPaySettings({ notifyUrl: 'http://127.0.0.1:9/payments/wechat/notify' });
    api = await startPaymentApi({ config, logger, databaseUrl: postgres.url, jwtSecret: randomUUID() + randomUUID(), wechatPaySettings: settings });
    const base = api.url;
    const rssBefore = process.memoryUsage().rss;
    const travelers = Array.from({ length: ORDERS }, (_, i) => `bench${i}`);
    const tokens: string[] = [];
    report(
      'POST /auth/wechat/login',
      await measure(travelers, async (name) => {
        const answer = await post(`${base}/auth/wechat/login`, { code: `${name}-${randomUUID()}` });
        tokens.push(answer.json.token as string);
        return answer.status;
      }),
    );
    const orders: { token: string; id: string }[] = [];
    report(
      'POST /orders',
      await measure(tokens, async (token) => {
        const answer = await post(
          `${base}/orders`,
          { amount: 8800, description: 'bench' },
          { authorization: `Bearer ${token}`, 'Idempotency-Key': randomUUID() },
        );
        orders.push({ token, id: answer.json.order_id as string });
        return answer.status;
      }),
    );
    const session = (order: { token: string; id: string }) =>
      post(`${base}/payments/session`, { order_id: order.id }, { authorization: `Bearer ${order.token}` }).then((a) => a.status);
    report('POST /payments/session (new)', await measure(orders, session));
    report('POST /payments/session (repeat)', await measure(orders, session));
    report(
      'GET /payments/{id}/status',
      await measure(
        orders,
        async (order) => (await fetch(`${base}/payments/${order.id}/status`, { headers: { authorization: `Bearer ${order.token}` } })).status,
      ),
    );
    const rssAfter = process.memoryUsage().rss;
    process.stdout.write(
      `memory (API + sandbox in this process): rss ${(rssBefore / 2 ** 20).toFixed(0)} MiB → ${(rssAfter / 2 ** 20).toFixed(0)} MiB, heap used ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB\n`,
    );
  } finally {
    await api?.stop();
    await sandbox.close();
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
