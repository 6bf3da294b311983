import { request } from 'node:http';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/observability/logger';
import { call } from './helpers/http-client';
import { startTestStack, type TestStack } from './helpers/test-stack';

/** Request log lines of one test stack, parsed. */
function captureLogs(): { lines: Record<string, unknown>[]; logger: ReturnType<typeof createLogger> } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger('info', destination) };
}

const requestLine = (lines: Record<string, unknown>[], requestId: string | null) =>
  lines.find((line) => (line.req as { id?: string } | undefined)?.id === requestId && line.msg === 'request completed');

/** The `Keep-Alive` header Node sends on a kept-alive connection: it carries keepAliveTimeout in seconds. */
function keepAliveHeader(baseUrl: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}/healthz`, { headers: { Connection: 'keep-alive' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.headers['keep-alive']?.toString()));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('operations endpoints and request ids', () => {
  let stack: TestStack;
  const logs = captureLogs();
  beforeAll(async () => {
    stack = await startTestStack({ logger: logs.logger });
  });
  afterAll(() => stack.stop());

  it('answers /healthz and /readyz (database reachable, migrations applied)', async () => {
    expect((await call(stack.api.url, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
    const ready = await call(stack.api.url, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready' });
  });

  describe('given the metrics listener', () => {
    it('answers /metrics in Prometheus text with default process metrics', async () => {
      const answer = await call(stack.api.metricsUrl, 'GET', '/metrics');
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(answer.text).toMatch(/^# TYPE process_resident_memory_bytes gauge$/m);
      expect(answer.text).toMatch(/^# TYPE http_request_duration_seconds histogram$/m);
    });

    it('listens on 127.0.0.1 by default, on a port of its own', () => {
      expect(stack.api.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(stack.api.metricsUrl).not.toBe(stack.api.url);
    });

    it('answers 404 for anything but /metrics', async () => {
      expect((await call(stack.api.metricsUrl, 'GET', '/healthz')).status).toBe(404);
    });
  });

  describe('given the public port', () => {
    it('does not serve /metrics', async () => {
      const answer = await call(stack.api.url, 'GET', '/metrics');
      expect(answer.status).toBe(404);
      expect(answer.text).not.toContain('process_resident_memory_bytes');
    });
  });

  it('gives every response a request id, and every error body the same one', async () => {
    const answer = await call(stack.api.url, 'GET', '/no-such-route');
    expect(answer.status).toBe(404);
    const id = answer.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.body).toMatchObject({ code: 'NOT_FOUND', request_id: id });
  });

  it('keeps a well-formed incoming X-Request-Id and replaces a malformed one', async () => {
    const kept = await call(stack.api.url, 'GET', '/healthz', { headers: { 'X-Request-Id': 'trace-0123456789' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-0123456789');
    const replaced = await call(stack.api.url, 'GET', '/healthz', { headers: { 'X-Request-Id': 'bad id with spaces' } });
    expect(replaced.headers.get('x-request-id')).not.toBe('bad id with spaces');
  });

  describe('given TRUST_PROXY is not set', () => {
    it('logs the address of the peer, ignoring X-Forwarded-For', async () => {
      const answer = await call(stack.api.url, 'GET', '/healthz', { headers: { 'X-Forwarded-For': '203.0.113.7' } });
      expect((requestLine(logs.lines, answer.headers.get('x-request-id'))?.req as { ip?: string }).ip).toMatch(/127\.0\.0\.1$/);
    });
  });

  describe('given the default keep-alive timeout', () => {
    it('keeps idle connections 65 s, longer than the 60 s idle timeout of nginx and AWS ALB', async () => {
      expect(await keepAliveHeader(stack.api.url)).toBe('timeout=65');
    });
  });
});

describe('behind a proxy', () => {
  describe('given TRUST_PROXY=loopback and a request through a proxy on 127.0.0.1', () => {
    let stack: TestStack;
    const logs = captureLogs();
    beforeAll(async () => {
      stack = await startTestStack({
        logger: logs.logger,
        env: { TRUST_PROXY: 'loopback', HTTP_KEEP_ALIVE_TIMEOUT_MS: '90000', HTTP_HEADERS_TIMEOUT_MS: '91000' },
      });
    });
    afterAll(() => stack.stop());

    it('logs the client address the proxy put in X-Forwarded-For', async () => {
      const answer = await call(stack.api.url, 'GET', '/healthz', { headers: { 'X-Forwarded-For': '198.51.100.20, 203.0.113.7' } });
      expect((requestLine(logs.lines, answer.headers.get('x-request-id'))?.req as { ip?: string }).ip).toBe('203.0.113.7');
    });

    it('keeps idle connections as long as HTTP_KEEP_ALIVE_TIMEOUT_MS says', async () => {
      expect(await keepAliveHeader(stack.api.url)).toBe('timeout=90');
    });
  });

  describe('given METRICS_TOKEN', () => {
    let stack: TestStack;
    const token = 'metrics-token-that-is-at-least-32-characters';
    beforeAll(async () => {
      stack = await startTestStack({ env: { METRICS_TOKEN: token } });
    });
    afterAll(() => stack.stop());

    it('answers 401 to a scrape without the token', async () => {
      const answer = await call(stack.api.metricsUrl, 'GET', '/metrics', { token: 'wrong-token' });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(answer.text).not.toContain('process_resident_memory_bytes');
    });

    it('answers the metrics to a scrape with the token', async () => {
      const answer = await call(stack.api.metricsUrl, 'GET', '/metrics', { token });
      expect(answer.status).toBe(200);
      expect(answer.text).toContain('process_resident_memory_bytes');
    });
  });
});
