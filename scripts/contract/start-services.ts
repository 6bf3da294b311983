import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CONTRACT_FILE, ROOT, type JsonObject } from './contract-document';
import { writeMockContract } from './mock-contract';
import { freePort, startProcess, stopProcess, waitForHttp, type StartedProcess } from './processes';

export interface RunningApi {
  url: string;
  sandboxUrl: string;
  /** The operator key the server generated into DATA_DIR/admin-api-key (no ADMIN_API_KEYS is set). */
  operatorKey: string;
}

/** Variables that would switch the server to live WeChat Pay or an outside database. */
const LIVE_SETTINGS = /^(DATABASE_URL|WECHAT_|WECHATPAY_|ADMIN_API_KEYS$)/;

function sandboxEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !LIVE_SETTINGS.test(name)));
  return { ...env, NODE_ENV: 'development', ...overrides };
}

async function readyOrStopped(target: StartedProcess, url: string, timeoutMs: number, ready: (status: number) => boolean): Promise<void> {
  try {
    await waitForHttp(target, url, timeoutMs, ready);
  } catch (err) {
    await stopProcess(target);
    throw err;
  }
}

/**
 * The API in sandbox mode with its own embedded PostgreSQL and sandbox keys in a temporary DATA_DIR.
 * It is stopped with SIGTERM to the server alone (it stops its PostgreSQL), then the folder is removed.
 */
export async function startApi(logDir: string): Promise<RunningApi> {
  const dataDir = mkdtempSync(join(tmpdir(), 'contract-api-'));
  chmodSync(dataDir, 0o755); // the embedded PostgreSQL runs as the `postgres` user
  const [port, sandboxPort, pgPort] = [await freePort(), await freePort(), await freePort()];
  const env = sandboxEnv({
    PORT: String(port),
    METRICS_PORT: '0',
    WECHAT_SANDBOX_PORT: String(sandboxPort),
    EMBEDDED_PG_PORT: String(pgPort),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    // Refunds settle (and WeChat notifies) a moment after they are accepted.
    WECHAT_SANDBOX_REFUND_PROCESSING_MS: '300',
  });
  const server = startProcess('API server', process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env,
    cwd: ROOT,
    logFile: resolve(logDir, 'contract-api.log'),
    stop: { wholeGroup: false, graceMs: 30_000, afterStop: () => rmSync(dataDir, { recursive: true, force: true }) },
  });
  const url = `http://127.0.0.1:${port}`;
  await readyOrStopped(server, `${url}/readyz`, 180_000, (status) => status === 200);
  return { url, sandboxUrl: `http://127.0.0.1:${sandboxPort}`, operatorKey: readFileSync(join(dataDir, 'admin-api-key'), 'utf8').trim() };
}

async function startPrism(name: string, args: string[], logFile: string): Promise<string> {
  const port = await freePort();
  const bin = resolve(ROOT, 'node_modules', '.bin', 'prism');
  // NODE_ENV=production would fork Prism's server into a second process (-m); keep it in one.
  const env = { ...process.env, NODE_ENV: 'development' };
  const prism = startProcess(name, bin, [...args, '-p', String(port), '-h', '127.0.0.1'], { env, cwd: ROOT, logFile, stop: { graceMs: 5_000 } });
  const url = `http://127.0.0.1:${port}`;
  await readyOrStopped(prism, url, 60_000, () => true);
  return url;
}

/**
 * Prism's validation proxy: forwards everything and, with --errors, turns a response that breaks the contract
 * into a 500 (details in the `sl-violations` header). Request validation is off so that the API's own 400s
 * and 401s are what gets tested; Prism still answers a missing bearer token with its own 401.
 */
export function startValidationProxy(upstream: string, logDir: string): Promise<string> {
  return startPrism('Prism proxy', ['proxy', CONTRACT_FILE, upstream, '--errors', '--validate-request', 'false'], resolve(logDir, 'prism-proxy.log'));
}

/**
 * The same mock as `npm run mock`: Prism on the contract copy written at start (fresh times, 400 before 422).
 * `documented` is that moment's contract, what its answers must equal.
 */
export async function startMock(logDir: string): Promise<{ url: string; documented: JsonObject }> {
  const { file, documented } = writeMockContract(logDir);
  return { url: await startPrism('Prism mock', ['mock', file], resolve(logDir, 'prism-mock.log')), documented };
}
