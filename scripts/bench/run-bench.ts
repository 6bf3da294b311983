/**
 * `npm run bench`: the performance instrument. Builds the API and starts it as `npm start` does (dist, embedded
 * PostgreSQL, logs to a file, production settings, so responses are not validated), with the sandbox WeChat Pay in
 * a process of its own as its "WeChat". Seeds through the database, measures two baselines and every hot path with
 * autocannon (in its own process, same load for each), prints a table with ratios and writes
 * reports/bench/latest.json. Loopback only, bounded in time, stops everything it started. Never part of npm test.
 *
 * BENCH_SECONDS (10) per run, BENCH_CONNECTIONS (50), BENCH_SOAK_SECONDS (120), BENCH_TRAVELERS (60000),
 * BENCH_LARGE_ORDERS (1000000), BENCH_NOTIFICATIONS, BENCH_FIRST_SESSIONS; API_WORKERS, STATUS_CACHE_ENTRIES,
 * RATE_LIMIT_STORE, DATABASE_POOL_MAX and JOBS are handed to the API as they are. BENCH_HEAP_SNAPSHOTS=1 writes heap
 * snapshots at the soak's start and end into reports/bench (compare them with compare-heap-snapshots.ts);
 * BENCH_CPU_PROFILE=1 has the API write a CPU profile there when it stops; BENCH_TRACE_GC=1 writes V8's line per
 * collection into reports/bench/api.log; BENCH_NODE_OPTIONS is the API's NODE_OPTIONS.
 * BENCH_ONLY (a comma-separated list of status, limited, sessions, first-sessions, orders, notifications, large,
 * soak) runs only those parts after the baselines, to look at one path.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { deriveOpenid, type SandboxCredentials } from '../../sandbox';
import { sandboxWechatPaySettings } from '../../sandbox/credentials/sandbox-settings';
import { createTravelerTokens } from '../../src/auth/traveler-tokens';
import { jsapiOptionsFromSettings } from '../../src/payments/jsapi-from-settings';
import { createJsapiService, formatBeijingTime } from '../../src/wechatpay-sdk';
import { apiMemory, runToEnd, startProcess, stopAll } from './bench-processes';
import { printTable, type BenchRow, type MemorySample } from './bench-report';
import type { LoadResult, LoadSpec, LoadTarget } from './load-runner';
import { growOrdersTo, paidCounts, refreshStoredSessions, seedGroup, travelersOf, type Traveler } from './seed-bench-data';
import { signedNotifications } from './signed-notifications';

const ROOT = resolve(__dirname, '../..');
const REPORT_DIR = join(ROOT, 'reports/bench');
const int = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`);
  return value;
};
const SECONDS = Math.max(1, int('BENCH_SECONDS', 10));
const CONNECTIONS = Math.max(1, int('BENCH_CONNECTIONS', 50));
const SOAK_SECONDS = int('BENCH_SOAK_SECONDS', 120);
const TRAVELERS = Math.max(1000, int('BENCH_TRAVELERS', 60_000));
const LARGE_ORDERS = int('BENCH_LARGE_ORDERS', 1_000_000);
const NOTIFICATIONS = Math.max(100, int('BENCH_NOTIFICATIONS', 4000 * SECONDS));
const FIRST_SESSIONS = Math.max(100, int('BENCH_FIRST_SESSIONS', 400 * SECONDS));
const PARTS = ['status', 'limited', 'sessions', 'first-sessions', 'orders', 'notifications', 'large', 'soak'] as const;
const ONLY = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((part) => part.trim())
  .filter(Boolean);
for (const part of ONLY) if (!(PARTS as readonly string[]).includes(part)) throw new Error(`BENCH_ONLY: unknown part "${part}" (${PARTS.join(', ')})`);
const runs = (part: (typeof PARTS)[number]) => ONLY.length === 0 || ONLY.includes(part);
const HEAP_SNAPSHOTS = process.env.BENCH_HEAP_SNAPSHOTS === '1';
const CPU_PROFILE = process.env.BENCH_CPU_PROFILE === '1';
const TRACE_GC = process.env.BENCH_TRACE_GC === '1';
/** Node flags (not allowed in NODE_OPTIONS) for the diagnostics a run asked for. */
const diagnosticFlags = () => [
  ...(HEAP_SNAPSHOTS || CPU_PROFILE ? [`--diagnostic-dir=${REPORT_DIR}`] : []),
  ...(HEAP_SNAPSHOTS ? ['--heapsnapshot-signal=SIGUSR2'] : []),
  ...(CPU_PROFILE ? ['--cpu-prof'] : []),
  ...(TRACE_GC ? ['--trace-gc'] : []),
];
const WARMUP_SECONDS = Math.min(3, Math.max(1, Math.round(SECONDS / 4)));
const AMOUNT = 8800;
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const PASSED_THROUGH = ['API_WORKERS', 'STATUS_CACHE_ENTRIES', 'RATE_LIMIT_STORE', 'DATABASE_POOL_MAX', 'JOBS'];

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

interface Stack {
  dir: string;
  apiUrl: string;
  /** The API's metrics listener (METRICS_PORT), apart from its public port. */
  metricsUrl: string;
  apiPid: number;
  db: pg.Client;
  databaseUrl: string;
  jwtSecret: string;
  credentials: SandboxCredentials;
  sandboxUrl: string;
}

function log(message: string): void {
  process.stdout.write(`[bench] ${message}\n`);
}

async function waitUntilReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return;
    await sleep(250);
  }
  throw new Error(`the API was not ready within ${timeoutMs} ms (see reports/bench/api.log)`);
}

/**
 * Merchant settings as an operator would give them, pointing at the sandbox: live mode, with production's
 * behaviour (responses not validated). NODE_ENV stays `development` only because production refuses a notify URL
 * that is not HTTPS, and the sandbox notifies plain http on loopback.
 */
function apiEnvironment(
  dir: string,
  credentials: SandboxCredentials,
  ports: { api: number; pg: number; metrics: number },
  sandboxUrl: string,
  jwtSecret: string,
) {
  const keys = join(dir, 'sandbox');
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'development',
    VALIDATE_RESPONSES: 'false',
    HOST: '127.0.0.1',
    PORT: String(ports.api),
    METRICS_PORT: String(ports.metrics),
    // The bench drives many requests per traveler and all from 127.0.0.1: the order, session and login limits
    // would measure 429s. The rate-limited path is measured on its own, with the status-poll limit.
    RATE_LIMIT_ORDERS: '100000/600',
    RATE_LIMIT_SESSIONS: '100000/60',
    RATE_LIMIT_LOGINS: '100000/60',
    LOG_LEVEL: 'info',
    DATA_DIR: dir,
    EMBEDDED_PG_PORT: String(ports.pg),
    JWT_SECRET: jwtSecret,
    // Levers a run can switch, handed through as they are.
    ...Object.fromEntries(PASSED_THROUGH.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]])),
    WECHAT_APP_ID: credentials.appId,
    WECHAT_APP_SECRET: credentials.appSecret,
    WECHATPAY_MCH_ID: credentials.mchId,
    WECHATPAY_MERCHANT_CERT: join(keys, 'apiclient_cert.pem'),
    WECHATPAY_MERCHANT_PRIVATE_KEY: join(keys, 'apiclient_key.pem'),
    WECHATPAY_API_V3_KEY: credentials.apiV3Key,
    WECHATPAY_PUBLIC_KEY_ID: credentials.wechatPayPublicKey.id,
    WECHATPAY_PUBLIC_KEY: join(keys, 'pub_key.pem'),
    WECHATPAY_NOTIFY_URL: `http://127.0.0.1:${ports.api}/payments/wechat/notify`,
    WECHATPAY_BASE_URL: sandboxUrl,
    // SIGUSR2 writes a heap snapshot into reports/bench (BENCH_HEAP_SNAPSHOTS=1: at the soak's start and end).
    // BENCH_NODE_OPTIONS: node flags for the API as an operator would set NODE_OPTIONS (e.g. a heap limit).
    NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? '',
    WECHAT_API_BASE_URL: sandboxUrl,
  };
}

/** `npm start`'s own command line (its node flags included), so the bench runs the API exactly as it starts. */
function startArguments(): string[] {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const [node, ...args] = (scripts.start ?? '').split(/\s+/);
  if (node !== 'node' || !args.includes('dist/src/main.js')) throw new Error(`npm start is expected to run node … dist/src/main.js, not "${scripts.start}"`);
  return args.map((arg) => (arg === 'dist/src/main.js' ? join(ROOT, arg) : arg));
}

async function startStack(): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  chmodSync(dir, 0o755);
  log('building (npm run build)');
  await runToEnd('npm', ['run', 'build'], process.env, join(REPORT_DIR, 'build.log'));
  const [apiPort, pgPort, sandboxPort, metricsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const { match } = await startProcess('sandbox', TSX, [join(ROOT, 'scripts/sandbox.ts')], {
    env: { PATH: process.env.PATH, DATA_DIR: dir, WECHAT_SANDBOX_PORT: String(sandboxPort), LOG_LEVEL: 'warn' },
    logFile: join(REPORT_DIR, 'sandbox.log'),
    ready: /listening on (http:\/\/\S+)/,
  });
  const sandboxUrl = match?.[1] as string;
  const credentials = JSON.parse(readFileSync(join(dir, 'sandbox/credentials.json'), 'utf8')) as SandboxCredentials;
  const jwtSecret = randomBytes(32).toString('base64url');
  const args = [...diagnosticFlags(), ...startArguments()];
  log(`starting the API (node ${args.join(' ')}, API_WORKERS=${process.env.API_WORKERS ?? '1'}), logs in reports/bench/api.log`);
  const { process: api } = await startProcess('api', process.execPath, args, {
    env: apiEnvironment(dir, credentials, { api: apiPort, pg: pgPort, metrics: metricsPort }, sandboxUrl, jwtSecret),
    logFile: join(REPORT_DIR, 'api.log'),
  });
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const exited = new Promise<never>((_, reject) =>
    api.child.once('exit', (code) => reject(new Error(`the API exited with ${code} before it was ready (see reports/bench/api.log)`))),
  );
  exited.catch(() => {}); // once ready, its later exit (the bench stopping it) is no failure
  await Promise.race([waitUntilReady(apiUrl, 180_000), exited]);
  const databaseUrl = `postgres://postgres:postgres@127.0.0.1:${pgPort}/payments`;
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  return { dir, apiUrl, metricsUrl: `http://127.0.0.1:${metricsPort}`, apiPid: api.child.pid as number, db, databaseUrl, jwtSecret, credentials, sandboxUrl };
}

let runCount = 0;

async function load(url: string, targets: LoadTarget[], options: Partial<LoadSpec> = {}): Promise<LoadResult> {
  const dir = join(tmpdir(), `bench-load-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const targetsFile = join(dir, `targets-${runCount}.json`);
  const specFile = join(dir, `spec-${runCount++}.json`);
  writeFileSync(targetsFile, JSON.stringify(targets));
  const spec: LoadSpec = { url, connections: CONNECTIONS, seconds: SECONDS, targetsFile, ...options };
  writeFileSync(specFile, JSON.stringify(spec));
  try {
    const out = await runToEnd(TSX, [join(__dirname, 'load-runner.ts'), specFile], process.env, join(REPORT_DIR, 'load.log'));
    return JSON.parse(out.trim().split('\n').pop() as string) as LoadResult;
  } finally {
    rmSync(targetsFile, { force: true });
    rmSync(specFile, { force: true });
  }
}

/** The API's own view of its memory, from its /metrics (summed over workers when the answer covers several). */
async function heapFigures(metricsUrl: string): Promise<Pick<MemorySample, 'heapUsed' | 'heapTotal' | 'external' | 'statusCacheEntries'>> {
  const text = await fetch(`${metricsUrl}/metrics`).then(
    (r) => (r.ok ? r.text() : ''),
    () => '',
  );
  const sum = (name: string) => {
    const values = [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].map((m) => Number(m[1]));
    return values.length > 0 ? values.reduce((a, b) => a + b, 0) : undefined;
  };
  return {
    heapUsed: sum('nodejs_heap_size_used_bytes'),
    heapTotal: sum('nodejs_heap_size_total_bytes'),
    external: sum('nodejs_external_memory_bytes'),
    statusCacheEntries: sum('payments_status_cache_entries'),
  };
}

async function memorySample(stack: Stack, at: string): Promise<MemorySample> {
  const { rss, peak, processes } = apiMemory(stack.apiPid);
  return { at, rss, peak, processes, ...(await heapFigures(stack.metricsUrl)) };
}

/** A prepay call needs an openid WeChat (here the sandbox) issued under our appid. */
async function withSandboxOpenids(db: pg.Client, travelers: Traveler[], appId: string): Promise<Traveler[]> {
  const updated = travelers.map((t) => ({ ...t, openid: deriveOpenid(appId, t.openid) }));
  await db.query('update users set openid = v.openid from unnest($1::uuid[], $2::text[]) as v(id, openid) where users.id = v.id', [
    updated.map((t) => t.userId),
    updated.map((t) => t.openid),
  ]);
  return updated;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function statusTargets(travelers: Traveler[], tokens: Map<string, string>): LoadTarget[] {
  return travelers.map((t) => ({ method: 'GET', path: `/payments/${t.orderId}/status`, headers: bearer(tokens.get(t.userId) as string) }));
}

function sessionTargets(travelers: Traveler[], tokens: Map<string, string>): LoadTarget[] {
  return travelers.map((t) => ({
    method: 'POST',
    path: '/payments/session',
    headers: { ...bearer(tokens.get(t.userId) as string), 'content-type': 'application/json' },
    body: JSON.stringify({ order_id: t.orderId }),
  }));
}

/** WeChat Pay's own latency here: the sandbox's prepay answered directly, signed and verified as the API does. */
async function sandboxPrepayLatency(stack: Stack): Promise<{ perSecond: number; p50: number; p99: number }> {
  const settings = sandboxWechatPaySettings(stack.credentials, {
    baseUrl: stack.sandboxUrl,
    notifyUrl: `${stack.apiUrl}/payments/wechat/notify`,
    keyMode: 'public-key',
  });
  const jsapi = createJsapiService(jsapiOptionsFromSettings(settings));
  const latencies: number[] = [];
  const count = Math.min(2000, 50 * SECONDS);
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next++ < count) {
      const t0 = performance.now();
      await jsapi.createJsapiPrepay({
        appid: settings.appId,
        mchid: settings.mchId,
        description: 'bench ticket',
        out_trade_no: randomBytes(16).toString('hex'),
        time_expire: formatBeijingTime(new Date(Date.now() + 3600_000)),
        notify_url: settings.notifyUrl,
        amount: { total: AMOUNT, currency: 'CNY' },
        payer: { openid: deriveOpenid(settings.appId, `bench-latency-${randomUUID()}`) },
      });
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONNECTIONS, 16) }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { perSecond: latencies.length / seconds, p50: at(0.5), p99: at(0.99) };
}

async function soak(stack: Stack, targets: LoadTarget[]): Promise<{ result: LoadResult; samples: MemorySample[] }> {
  const samples: MemorySample[] = [await memorySample(stack, 'soak 0 s')];
  if (HEAP_SNAPSHOTS) process.kill(stack.apiPid, 'SIGUSR2');
  const running = load(stack.apiUrl, targets, { seconds: SOAK_SECONDS });
  let done = false;
  void running.finally(() => (done = true));
  const started = Date.now();
  while (!done) {
    await Promise.race([sleep(5000), running.catch(() => undefined)]);
    if (!done) samples.push(await memorySample(stack, `soak ${Math.round((Date.now() - started) / 1000)} s`));
  }
  samples.push(await memorySample(stack, `soak end`));
  if (HEAP_SNAPSHOTS) {
    process.kill(stack.apiPid, 'SIGUSR2');
    await sleep(20_000); // writing a snapshot stops the process for a while
  }
  return { result: await running, samples };
}

async function measure(stack: Stack): Promise<void> {
  const { db } = stack;
  const rows: BenchRow[] = [];
  const memory: MemorySample[] = [await memorySample(stack, 'idle, before seeding')];
  log(`seeding ${TRAVELERS} travelers with a pending order, ${NOTIFICATIONS} payable orders, ${FIRST_SESSIONS} unpaid orders (SQL)`);
  const seedStart = performance.now();
  await seedGroup(db, 'bench-a-', TRAVELERS, { prepared: true, amount: AMOUNT });
  await seedGroup(db, 'bench-n-', NOTIFICATIONS, { prepared: true, amount: AMOUNT });
  await seedGroup(db, 'bench-f-', FIRST_SESSIONS, { prepared: false, amount: AMOUNT });
  await seedGroup(db, 'bench-r-', 1, { prepared: false, amount: AMOUNT });
  await db.query('vacuum analyze');
  const [a, n, r] = [await travelersOf(db, 'bench-a-'), await travelersOf(db, 'bench-n-'), await travelersOf(db, 'bench-r-')];
  const f = await withSandboxOpenids(db, await travelersOf(db, 'bench-f-'), stack.credentials.appId);
  const tokensIssuer = createTravelerTokens(stack.jwtSecret, 7200);
  const now = new Date();
  const tokens = new Map<string, string>();
  for (const t of [...a, ...f, ...r]) tokens.set(t.userId, tokensIssuer.issue({ userId: t.userId, openid: t.openid }, now));
  log(`seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  const status = statusTargets(a, tokens);
  const warmup = status.slice(-Math.min(5000, Math.floor(status.length / 6)));
  const measured = status.slice(0, status.length - warmup.length);
  const raw = await startProcess('baseline raw', TSX, [join(__dirname, 'baseline-server.ts'), 'raw'], {
    env: { ...process.env, DATABASE_URL: stack.databaseUrl, JWT_SECRET: stack.jwtSecret },
    logFile: join(REPORT_DIR, 'baseline.log'),
    ready: /listening (\d+)/,
  });
  const rawUrl = `http://127.0.0.1:${raw.match?.[1]}`;
  log('baseline: node:http + one indexed pg query');
  await load(rawUrl, warmup, { seconds: WARMUP_SECONDS });
  const rawResult = await load(rawUrl, measured);
  rows.push({ name: 'baseline: node:http + pg', result: rawResult, expect: ['200'] });
  await raw.process.stop();
  const express = await startProcess('baseline express', TSX, [join(__dirname, 'baseline-server.ts'), 'express'], {
    env: { ...process.env, DATABASE_URL: stack.databaseUrl, JWT_SECRET: stack.jwtSecret },
    logFile: join(REPORT_DIR, 'baseline.log'),
    ready: /listening (\d+)/,
  });
  const expressUrl = `http://127.0.0.1:${express.match?.[1]}`;
  log('baseline: Express 5 + express-openapi-validator + jsonwebtoken + the same query');
  await load(expressUrl, warmup, { seconds: WARMUP_SECONDS });
  rows.push({ name: 'baseline: Express+validator+jsonwebtoken', result: await load(expressUrl, measured), expect: ['200'] });
  await express.process.stop();

  let status60k: LoadResult | undefined;
  if (runs('status') || runs('large')) {
    log('GET /payments/{id}/status');
    await load(stack.apiUrl, warmup, { seconds: WARMUP_SECONDS });
    await sleep(3000); // the warm-up's orders may be polled again: let their 3 s window pass
    status60k = await load(stack.apiUrl, measured);
    rows.push({ name: `status poll (${(TRAVELERS / 1000).toFixed(0)} k orders)`, result: status60k, expect: ['200'] });
    // Travelers poll every 3 s: the same orders again, a cycle later, as the status cache sees them in production.
    // The last orders of the first run were polled just now: their 3 s window passes first.
    await sleep(3000);
    rows.push({ name: `status poll, polled again`, result: await load(stack.apiUrl, measured), expect: ['200'] });
    memory.push(await memorySample(stack, 'after status poll'));
  }

  if (runs('limited')) {
    log('GET /payments/{id}/status, one traveler polling too fast (429)');
    rows.push({ name: 'status poll, rate-limited', result: await load(stack.apiUrl, statusTargets(r, tokens)), expect: ['200', '429'] });
  }

  if (runs('sessions')) {
    log('POST /payments/session, repeated (stored parameters)');
    await refreshStoredSessions(db, 'bench-a-');
    rows.push({ name: 'session, repeated', result: await load(stack.apiUrl, sessionTargets(a, tokens)), expect: ['200'] });
  }

  if (runs('first-sessions')) {
    log('POST /payments/session, first (a prepay call to the sandbox each)');
    rows.push({ name: 'session, first (calls WeChat)', result: await load(stack.apiUrl, sessionTargets(f, tokens), { once: true }), expect: ['200'] });
    const sandbox = await sandboxPrepayLatency(stack);
    rows.push({
      name: '  sandbox prepay alone (apart)',
      result: { ...emptyResult(), perSecond: sandbox.perSecond, p50: sandbox.p50, p99: sandbox.p99 },
      expect: [],
    });
  }

  if (runs('orders')) {
    log('POST /orders');
    const orderTargets: LoadTarget[] = a.map((t) => ({
      method: 'POST',
      path: '/orders',
      headers: { ...bearer(tokens.get(t.userId) as string), 'content-type': 'application/json' },
      body: JSON.stringify({ amount: AMOUNT, description: 'bench ticket' }),
    }));
    rows.push({ name: 'orders created', result: await load(stack.apiUrl, orderTargets, { uniqueHeader: 'Idempotency-Key' }), expect: ['201'] });
    memory.push(await memorySample(stack, 'after sessions and orders'));
  }

  if (runs('notifications')) {
    log(`signing ${n.length} distinct notifications`);
    const notifications = signedNotifications(stack.credentials, n, AMOUNT);
    log('POST /payments/wechat/notify, distinct valid notifications');
    const notified = await load(stack.apiUrl, notifications, { once: true });
    const counts = await paidCounts(db, 'bench-n-');
    rows.push({
      name: 'notifications, distinct valid',
      result: notified,
      expect: ['204'],
      note: `${counts.paid} orders paid, ${counts.succeededRows} payment_succeeded rows${notified.exhausted ? ', all notifications used' : ''}`,
    });
    memory.push(await memorySample(stack, 'after notifications'));
  }

  let status1m: LoadResult | undefined;
  if (LARGE_ORDERS > 0 && runs('large')) {
    log(`growing orders to ${LARGE_ORDERS} rows (SQL)`);
    const grow = performance.now();
    await growOrdersTo(db, LARGE_ORDERS);
    log(`grown in ${((performance.now() - grow) / 1000).toFixed(1)} s`);
    await load(stack.apiUrl, warmup, { seconds: WARMUP_SECONDS });
    await sleep(3000);
    status1m = await load(stack.apiUrl, measured);
    rows.push({ name: `status poll (${(LARGE_ORDERS / 1e6).toFixed(2)} M orders)`, result: status1m, expect: ['200'] });
    rows.push({ name: `status poll, polled again (1 M)`, result: await load(stack.apiUrl, measured), expect: ['200'] });
  }

  let soakSamples: MemorySample[] = [];
  if (SOAK_SECONDS > 0 && runs('soak')) {
    log(`soak: status polls for ${SOAK_SECONDS} s`);
    const soaked = await soak(stack, status);
    rows.push({ name: `soak, status poll (${SOAK_SECONDS} s)`, result: soaked.result, expect: ['200', '429'] });
    soakSamples = soaked.samples;
  }
  memory.push(await memorySample(stack, 'end'));

  const report = printTable({ rows, memory, soak: soakSamples, status60k, status1m, settings: settings() });
  mkdirSync(REPORT_DIR, { recursive: true });
  writeFileSync(join(REPORT_DIR, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  log('wrote reports/bench/latest.json');
}

function emptyResult(): LoadResult {
  return { requests: 0, seconds: 0, perSecond: 0, p50: 0, p90: 0, p99: 0, max: 0, statusCodes: {}, errors: 0, timeouts: 0, exhausted: false };
}

function settings() {
  return {
    seconds: SECONDS,
    connections: CONNECTIONS,
    soakSeconds: SOAK_SECONDS,
    travelers: TRAVELERS,
    largeOrders: LARGE_ORDERS,
    notifications: NOTIFICATIONS,
    firstSessions: FIRST_SESSIONS,
    apiWorkers: Number(process.env.API_WORKERS ?? 1),
    apiNodeOptions: process.env.BENCH_NODE_OPTIONS ?? '',
    cpus: cpus().length,
    node: process.version,
  };
}

async function main(): Promise<void> {
  mkdirSync(REPORT_DIR, { recursive: true });
  for (const file of ['api.log', 'sandbox.log', 'baseline.log', 'load.log', 'build.log']) writeFileSync(join(REPORT_DIR, file), '');
  let stack: Stack | undefined;
  const interrupt = () => void stopAll().then(() => process.exit(130));
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  try {
    stack = await startStack();
    await measure(stack);
  } finally {
    await stack?.db.end().catch(() => undefined);
    await stopAll();
    if (stack) rmSync(stack.dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
