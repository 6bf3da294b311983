import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createSandboxCredentials } from '../../sandbox';

const root = resolve(__dirname, '../..');
const preload = join(__dirname, 'fixtures/record-loaded-modules.js');

interface EntryPointRun {
  loaded: string[];
  output: string;
  exitCode: number | null;
}

/**
 * Runs an entry point as `npm start` (`dist/src/main.js`) or `npm run worker` (`dist/src/worker.js`) does, until it
 * logs `ready`; then SIGTERM. Returns the files it loaded, what it logged and its exit code.
 */
async function runEntryPoint(env: Record<string, string>, script = 'dist/src/main.js', ready = 'payment API listening'): Promise<EntryPointRun> {
  const record = join(mkdtempSync(join(tmpdir(), 'entry-point-')), 'modules.json');
  const child = spawn(process.execPath, ['-r', preload, script], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      DATABASE_URL: process.env.DATABASE_URL,
      RECORD_LOADED_MODULES_TO: record,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((done, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(ready)) done();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => fail(new Error(`entry point exited (${code}) before listening:\n${output}`)));
  });
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  child.kill('SIGTERM');
  const exitCode = await exited;
  return { loaded: JSON.parse(readFileSync(record, 'utf8')) as string[], output, exitCode };
}

async function modulesLoadedByEntryPoint(env: Record<string, string>): Promise<string[]> {
  return (await runEntryPoint(env)).loaded;
}

/** Merchant settings that make the entry points run in live mode (WeChat Pay itself is never reached). */
function liveEnv(): Record<string, string> {
  const credentials = createSandboxCredentials();
  return {
    WECHAT_APP_ID: credentials.appId,
    WECHAT_APP_SECRET: 'live-mode-app-secret',
    WECHATPAY_MCH_ID: credentials.mchId,
    WECHATPAY_MERCHANT_CERT: credentials.merchant.certificatePem,
    WECHATPAY_MERCHANT_PRIVATE_KEY: credentials.merchant.privateKeyPem,
    WECHATPAY_API_V3_KEY: credentials.apiV3Key,
    WECHATPAY_PUBLIC_KEY: credentials.wechatPayPublicKey.publicKeyPem,
    WECHATPAY_PUBLIC_KEY_ID: credentials.wechatPayPublicKey.id,
    WECHATPAY_NOTIFY_URL: 'https://merchant.example.com/payments/wechat/notify',
    WECHATPAY_BASE_URL: 'http://127.0.0.1:9',
    JWT_SECRET: 'live-mode-test-secret-of-at-least-32-chars',
  };
}

const fromSandbox = (files: string[]) => files.filter((file) => file.startsWith(join(root, 'dist/sandbox/')));
const fromNodeForge = (files: string[]) => files.filter((file) => file.includes('/node_modules/node-forge/'));

describe('the production entry point (dist/src/main.js)', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root });
  }, 120_000);

  describe('given live mode (merchant settings present)', () => {
    it('loads no sandbox module and not node-forge', async () => {
      const loaded = await modulesLoadedByEntryPoint(liveEnv());
      expect(loaded.some((file) => file.endsWith('dist/src/main.js'))).toBe(true);
      expect(fromSandbox(loaded)).toEqual([]);
      expect(fromNodeForge(loaded)).toEqual([]);
    }, 60_000);
  });

  describe('given JOBS=off', () => {
    it('serves the API and logs that this instance runs no jobs', async () => {
      const run = await runEntryPoint({ ...liveEnv(), JOBS: 'off' });
      expect(run.output).toContain('"runsJobs":false');
      expect(run.exitCode).toBe(0);
    }, 60_000);
  });

  describe('given sandbox mode (no merchant settings)', () => {
    it('loads the sandbox on demand, which shows the check above can see it', async () => {
      const loaded = await modulesLoadedByEntryPoint({ DATA_DIR: mkdtempSync(join(tmpdir(), 'entry-point-data-')), WECHAT_SANDBOX_PORT: '0' });
      expect(fromSandbox(loaded)).toEqual(expect.arrayContaining([join(root, 'dist/sandbox/index.js')]));
      expect(fromNodeForge(loaded).length).toBeGreaterThan(0);
    }, 60_000);
  });

  describe('the worker entry point (dist/src/worker.js, npm run worker)', () => {
    describe('given live mode and a database', () => {
      it('runs the jobs without serving HTTP, and stops on SIGTERM', async () => {
        const run = await runEntryPoint({ ...liveEnv(), PORT: '9' }, 'dist/src/worker.js', 'job worker running');
        expect(run.output).toContain('"runsJobs":true');
        expect(run.output).not.toContain('payment API listening');
        expect(run.exitCode).toBe(0);
      }, 60_000);
    });
  });
});
