import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

/** One request on its own connection, so that the cluster may hand it to any worker. */
function send(port: number, method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; body: Record<string, string> }>((done, fail) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = { ...options.headers, ...(payload ? { 'content-type': 'application/json' } : {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, string>) : {} }));
    });
    req.once('error', fail);
    req.end(payload);
  });
}

describe('API_WORKERS=2 (node dist/src/main.js)', () => {
  let child: ChildProcess;
  let port: number;
  let output = '';
  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root });
    port = await freePort();
    child = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        PORT: String(port),
        LOG_LEVEL: 'info',
        API_WORKERS: '2',
        DATABASE_URL: process.env.DATABASE_URL,
        DATA_DIR: mkdtempSync(join(tmpdir(), 'api-workers-')),
        WECHAT_SANDBOX_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((done, fail) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if ((output.match(/payment API listening/g) ?? []).length === 2) done();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => fail(new Error(`exited (${code}) before both workers listened:\n${output}`)));
    });
  }, 120_000);
  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  describe('given a traveler polling the same order twice, each poll on a new connection', () => {
    it('answers 200 then 429: the workers share one rate limit', async () => {
      const login = await send(port, 'POST', '/auth/wechat/login', { body: { code: `workers-${randomUUID()}` } });
      const order = await send(port, 'POST', '/orders', {
        token: login.body.token,
        body: { amount: 100, description: 'two workers' },
        headers: { 'Idempotency-Key': randomUUID() },
      });
      const first = await send(port, 'GET', `/payments/${order.body.order_id}/status`, { token: login.body.token });
      const second = await send(port, 'GET', `/payments/${order.body.order_id}/status`, { token: login.body.token });
      expect([login.status, order.status, first.status, second.status]).toEqual([200, 201, 200, 429]);
    });
  });

  describe('when the primary gets SIGTERM', () => {
    it('stops its workers and exits 0', async () => {
      const exited = new Promise<number | null>((done) => child.once('exit', done));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect((output.match(/"msg":"shutting down"/g) ?? []).length).toBe(3);
    });
  });
});
