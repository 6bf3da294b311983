import { request } from 'node:http';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/observability/logger';
import { eventually } from './helpers/eventually';
import { call, type HttpAnswer } from './helpers/http-client';
import { buildNotification, createOrderAwaitingPayment, paidTransaction } from './helpers/notifications';
import { forgedSignature, signNotification } from './helpers/notification-signing';
import { readPaymentRecords } from './helpers/payment-records';
import { startTestStack, type TestStack } from './helpers/test-stack';

type Line = Record<string, unknown> & { level: number; msg: string; req?: { id: string; method: string; url: string; ip: string } };

const NOTIFY = '/payments/wechat/notify';
const REFUND_NOTIFY = '/refunds/wechat/notify';
const LIMIT = 64 * 1024;

/** A body of exactly `bytes` bytes, signed: refused for its signature only if it is read at all. */
const bodyOf = (bytes: number) => JSON.stringify({ padding: 'x'.repeat(bytes - 14) });

/** Sends the body in chunks without Content-Length (Transfer-Encoding: chunked), as a streaming client would. */
function postChunked(url: string, path: string, chunks: string[], headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url + path, { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
    });
    outgoing.on('error', reject);
    for (const chunk of chunks) outgoing.write(chunk);
    outgoing.end();
  });
}

/** Announces `announced` bytes, sends `sent` of them, then hangs up: a body cut off on the way. */
function postCutOff(url: string, path: string, requestId: string, announced: number, sent: number): Promise<void> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: ${requestId}\r\nContent-Length: ${announced}\r\n\r\n${'x'.repeat(sent)}`);
      setTimeout(() => socket.destroy(), 50);
    });
    socket.on('close', () => resolve());
    socket.on('error', () => undefined);
  });
}

/**
 * The two notification routes are answered ahead of Express, and must be indistinguishable from the Express
 * routes they stand in for: same answers in WeChat's shape, body limit, request id, access line, service log
 * lines and metrics label; whatever they do not fully recognise is Express's, answered as before.
 */
describe('the notification routes', () => {
  const lines: Line[] = [];
  let stack: TestStack;
  beforeAll(async () => {
    const destination = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Line);
        done();
      },
    });
    stack = await startTestStack({ logger: createLogger('info', destination), env: { TRUST_PROXY: 'loopback' } });
  });
  afterAll(() => stack.stop());

  const linesOf = (requestId: string) => lines.filter((line) => line.req?.id === requestId);
  const accessLine = (requestId: string) => linesOf(requestId).find((line) => 'responseTime' in line);
  const requestCount = async (route: string, status: string) => {
    const { values } = await stack.api.metrics.httpRequestDuration.get();
    const counted = values.find(
      (value) => value.metricName === 'http_request_duration_seconds_count' && value.labels.route === route && value.labels.status === status,
    );
    return counted?.value ?? 0;
  };
  const deliver = (path: string, body: string, headers: Record<string, string>) =>
    call(stack.api.url, 'POST', path, { body, headers: { 'User-Agent': 'Mozilla/4.0', 'Content-Type': 'application/json', ...headers } });
  const signedSuccess = async () => {
    const { stored } = await createOrderAwaitingPayment(stack);
    const { body } = buildNotification(stack, paidTransaction(stack, stored));
    return { stored, body, headers: signNotification(stack, body) };
  };

  describe('given a valid TRANSACTION.SUCCESS notification', () => {
    let answer: HttpAnswer;
    let countedBefore: number;
    let paidStatus: string;
    beforeAll(async () => {
      const { stored, body, headers } = await signedSuccess();
      countedBefore = await requestCount(NOTIFY, '204');
      answer = await deliver(NOTIFY, body, { ...headers, 'X-Request-Id': 'trace-notify-0001', 'X-Forwarded-For': '203.0.113.9' });
      paidStatus = (await readPaymentRecords(stack, stored)).order.status;
    });

    it('answers 204 without a body, echoes the request id and pays the order', () => {
      expect({ status: answer.status, text: answer.text, type: answer.headers.get('content-type') }).toEqual({ status: 204, text: '', type: null });
      expect(answer.headers.get('x-request-id')).toBe('trace-notify-0001');
      expect(paidStatus).toBe('paid');
    });

    it('writes the access line every route writes, with the forwarded client address', () => {
      const line = accessLine('trace-notify-0001');
      expect(line).toMatchObject({ level: 30, msg: 'request completed', req: { method: 'POST', url: NOTIFY, ip: '203.0.113.9' }, res: { statusCode: 204 } });
      const express = lines.find((entry) => entry.req?.url === '/orders' && 'responseTime' in entry);
      expect(Object.keys(line ?? {}).sort()).toEqual(Object.keys(express ?? {}).sort());
      expect(Object.keys(line?.req ?? {}).sort()).toEqual(Object.keys(express?.req ?? {}).sort());
    });

    it("logs the service's own line with the request it answered", () => {
      expect(linesOf('trace-notify-0001')).toContainEqual(
        expect.objectContaining({ level: 30, msg: 'WeChat Pay notification processed', outcome: 'applied', req: expect.objectContaining({ method: 'POST' }) }),
      );
    });

    it('is counted under the Express route label', async () => {
      expect((await requestCount(NOTIFY, '204')) - countedBefore).toBe(1);
    });
  });

  describe.each([NOTIFY, REFUND_NOTIFY])('given a forged signature on %s', (path) => {
    it("answers 401 in WeChat's {code, message} shape and logs the refusal at warn with the request id", async () => {
      const body = bodyOf(200);
      const requestId = `trace-forged-${path.split('/')[1]}`;
      const answer = await deliver(path, body, { ...signNotification(stack, body, { signature: forgedSignature() }), 'X-Request-Id': requestId });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(answer.body).toEqual({ code: 'FAIL', message: 'signature verification failed' });
      expect(accessLine(requestId)).toMatchObject({ level: 40, msg: 'request completed', res: { statusCode: 401 } });
      expect(linesOf(requestId)).toContainEqual(
        expect.objectContaining({ level: 40, msg: expect.stringMatching(/^WeChat Pay (refund )?notification refused$/) }),
      );
    });
  });

  describe.each([NOTIFY, REFUND_NOTIFY])('given a body of exactly 64 KB on %s', (path) => {
    it('reads it whole: it is refused for its signature, not its size', async () => {
      const body = bodyOf(LIMIT);
      expect(Buffer.byteLength(body)).toBe(LIMIT);
      expect((await deliver(path, body, signNotification(stack, body, { signature: forgedSignature() }))).status).toBe(401);
    });
  });

  describe.each([NOTIFY, REFUND_NOTIFY])('given a Content-Length of 64 KB + 1 on %s', (path) => {
    it("answers 413 in WeChat's shape, logs the unreadable body and counts it under the route", async () => {
      const body = bodyOf(LIMIT + 1);
      const countedBefore = await requestCount(path, '413');
      const answer = await deliver(path, body, { ...signNotification(stack, body), 'X-Request-Id': `trace-large-${path.split('/')[1]}` });
      expect({ status: answer.status, body: answer.body }).toEqual({ status: 413, body: { code: 'FAIL', message: 'body unreadable' } });
      expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(linesOf(`trace-large-${path.split('/')[1]}`)).toContainEqual(
        expect.objectContaining({
          level: 40,
          msg: 'WeChat Pay notification body unreadable',
          err: expect.objectContaining({ message: 'request entity too large' }),
        }),
      );
      expect(accessLine(`trace-large-${path.split('/')[1]}`)).toMatchObject({ level: 40, msg: 'request completed', res: { statusCode: 413 } });
      expect((await requestCount(path, '413')) - countedBefore).toBe(1);
    });
  });

  describe('given a chunked body that passes 64 KB on the way (no Content-Length)', () => {
    it("answers 413 in WeChat's shape once the rest of the body is read", async () => {
      const chunks = Array.from({ length: 5 }, () => 'x'.repeat(16 * 1024));
      const answer = await postChunked(stack.api.url, NOTIFY, chunks, { 'Content-Type': 'application/json' });
      expect(answer).toEqual({ status: 413, body: { code: 'FAIL', message: 'body unreadable' } });
    });
  });

  describe('given a body cut off before its announced Content-Length', () => {
    it('logs the unreadable body and the aborted request at warn, samples no duration, writes nothing and goes on answering', async () => {
      const countedBefore = await requestCount(NOTIFY, '400');
      await postCutOff(stack.api.url, NOTIFY, 'trace-cut-off-0001', 1000, 10);
      const logged = await eventually(
        () => linesOf('trace-cut-off-0001'),
        (seen) => seen.some((line) => 'responseTime' in line),
      );
      expect(logged).toEqual([
        expect.objectContaining({
          level: 40,
          msg: 'WeChat Pay notification body unreadable',
          err: expect.objectContaining({ message: 'request aborted', received: 10 }),
        }),
        expect.objectContaining({ level: 40, msg: 'request aborted', res: { statusCode: 400 } }),
      ]);
      // The answer never reached the client: the metrics middleware samples finished answers only.
      expect((await requestCount(NOTIFY, '400')) - countedBefore).toBe(0);
      const { stored, body, headers } = await signedSuccess();
      expect((await deliver(NOTIFY, body, headers)).status).toBe(204);
      expect((await readPaymentRecords(stack, stored)).order.status).toBe('paid');
    });
  });

  describe('given a valid notification whose notify_url carries a query string', () => {
    it('is answered as without one: 204, the order paid, counted under the route', async () => {
      const { stored, body, headers } = await signedSuccess();
      const countedBefore = await requestCount(NOTIFY, '204');
      const answer = await deliver(`${NOTIFY}?source=wechat`, body, { ...headers, 'X-Request-Id': 'trace-query-0001' });
      expect(answer.status).toBe(204);
      expect((await readPaymentRecords(stack, stored)).order.status).toBe('paid');
      expect(accessLine('trace-query-0001')).toMatchObject({ req: { url: `${NOTIFY}?source=wechat` }, res: { statusCode: 204 } });
      expect((await requestCount(NOTIFY, '204')) - countedBefore).toBe(1);
    });
  });

  describe('given another method on the notification path', () => {
    it('is answered by Express as before: 404 NOT_FOUND as a problem', async () => {
      const answer = await call(stack.api.url, 'GET', NOTIFY);
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ code: 'NOT_FOUND', request_id: answer.headers.get('x-request-id') });
    });
  });
});
