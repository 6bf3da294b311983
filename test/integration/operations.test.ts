import { call } from './helpers/http-client';
import { startTestStack, type TestStack } from './helpers/test-stack';

describe('operations endpoints and request ids', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  it('answers /healthz and /readyz (database reachable, migrations applied)', async () => {
    expect((await call(stack.api.url, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
    const ready = await call(stack.api.url, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready' });
  });

  it('answers /metrics in Prometheus text with default process metrics', async () => {
    const answer = await call(stack.api.url, 'GET', '/metrics');
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(answer.text).toMatch(/^# TYPE process_resident_memory_bytes gauge$/m);
    expect(answer.text).toMatch(/^# TYPE http_request_duration_seconds histogram$/m);
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
});
