import { Writable } from 'node:stream';
import { createLogger } from '../../src/observability/logger';
import { call, type HttpAnswer } from './helpers/http-client';
import { startTestStack, type TestStack } from './helpers/test-stack';
import { createPendingOrder, loginAs, type LoggedInTraveler } from './helpers/travelers';

interface AccessLine {
  level: number;
  msg: string;
  req: { id: string; method: string; url: string; ip: string };
  res: { statusCode: number };
  responseTime: number;
}

/**
 * The status poll is answered ahead of Express, and must be indistinguishable from the Express route it stands in
 * for: same body, problems, request id, access line and metrics; whatever it does not fully check is Express's.
 */
describe('the status poll route', () => {
  const lines: Record<string, unknown>[] = [];
  let stack: TestStack;
  let traveler: LoggedInTraveler;
  beforeAll(async () => {
    const destination = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    // TRUST_PROXY as behind a proxy on this machine: the logged address is the forwarded one.
    stack = await startTestStack({ logger: createLogger('info', destination), env: { TRUST_PROXY: 'loopback' } });
    traveler = await loginAs(stack);
  });
  afterAll(() => stack.stop());

  const poll = (orderId: string, options: { token?: string; headers?: Record<string, string>; suffix?: string } = {}) =>
    call(stack.api.url, 'GET', `/payments/${orderId}/status${options.suffix ?? ''}`, { token: options.token ?? traveler.token, headers: options.headers });
  const accessLine = (requestId: string | null) =>
    lines.find((line) => (line.req as AccessLine['req'] | undefined)?.id === requestId && 'responseTime' in line) as AccessLine | undefined;
  const requestCount = async (status: string) => {
    const { values } = await stack.api.metrics.httpRequestDuration.get();
    const counted = values.find(
      (value) =>
        value.metricName === 'http_request_duration_seconds_count' && value.labels.route === '/payments/:orderId/status' && value.labels.status === status,
    );
    return counted?.value ?? 0;
  };

  describe('given a traveler polling their pending order', () => {
    let answer: HttpAnswer;
    let countedBefore: number;
    beforeAll(async () => {
      const order = await createPendingOrder(stack, traveler);
      countedBefore = await requestCount('200');
      answer = await poll(order.order_id, { headers: { 'X-Request-Id': 'trace-poll-0001', 'X-Forwarded-For': '203.0.113.7' } });
    });

    it('answers 200 with the status as JSON and echoes the request id', () => {
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(answer.headers.get('x-request-id')).toBe('trace-poll-0001');
      expect(answer.body).toMatchObject({ status: 'pending' });
    });

    it('writes the access line every route writes, with the forwarded client address', () => {
      const line = accessLine('trace-poll-0001');
      expect(line).toMatchObject({ level: 30, msg: 'request completed', req: { method: 'GET', ip: '203.0.113.7' }, res: { statusCode: 200 } });
      expect(line?.req.url).toMatch(/^\/payments\/[0-9a-f-]{36}\/status$/);
      // The order was created through Express: the shape of its line.
      const express = lines.find((entry) => (entry.req as AccessLine['req'] | undefined)?.url === '/orders' && 'responseTime' in entry);
      expect(express).toBeDefined();
      expect(Object.keys(line ?? {}).sort()).toEqual(Object.keys(express ?? {}).sort());
      expect(Object.keys(line?.req ?? {}).sort()).toEqual(Object.keys(express?.req ?? {}).sort());
    });

    it('is counted under the Express route label', async () => {
      expect((await requestCount('200')) - countedBefore).toBe(1);
    });
  });

  describe('given a second poll of the same order within 3 s', () => {
    it('answers 429 RATE_LIMITED as a problem with Retry-After and the request id', async () => {
      const order = await createPendingOrder(stack, traveler);
      expect((await poll(order.order_id)).status).toBe(200);
      const limited = await poll(order.order_id);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(limited.body).toMatchObject({ code: 'RATE_LIMITED', type: '/docs/problems#RATE_LIMITED', request_id: limited.headers.get('x-request-id') });
      expect(accessLine(limited.headers.get('x-request-id'))).toMatchObject({ level: 40, res: { statusCode: 429 } });
    });
  });

  describe.each([
    ['a query string', { suffix: '?verbose=1' }, 400, 'VALIDATION_FAILED'],
    ['an empty query string', { suffix: '?' }, 200, undefined],
    ['no token', { token: '' }, 401, 'UNAUTHORIZED'],
    ['a garbled token', { token: 'not.a.jwt' }, 401, 'UNAUTHORIZED'],
  ] as const)('given %s', (_name, options, status, code) => {
    it(`is answered by Express's contract validator: ${status}${code ? ` ${code}` : ''}, without spending the poll allowance`, async () => {
      const order = await createPendingOrder(stack, traveler);
      const answer = await poll(order.order_id, options);
      expect(answer.status).toBe(status);
      if (code) {
        expect(answer.body).toMatchObject({ code });
        // Refused before the limiter: the traveler's first real poll is still answered.
        expect((await poll(order.order_id)).status).toBe(200);
      }
    });
  });

  describe('given an order id longer than the contract allows (65 characters)', () => {
    it('answers 400 VALIDATION_FAILED naming the path parameter', async () => {
      const answer = await poll('a'.repeat(65));
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: '/params/orderId' }] });
    });
  });

  describe('given a percent-encoded order id', () => {
    it('is decoded by Express as before: a well-formed id that is not an order is 404 ORDER_NOT_FOUND', async () => {
      const answer = await poll('%61bc');
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ code: 'ORDER_NOT_FOUND' });
    });
  });
});
