import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { readContract } from '../../../src/http/contract';
import { documentedStatusCheck } from '../../../src/http/documented-statuses';
import { earlyRouteAnswers } from '../../../src/http/early-route-answers';
import { notificationRoute } from '../../../src/http/notification-route';
import { createLogger } from '../../../src/observability/logger';
import { createMetrics } from '../../../src/observability/metrics';
import type { NotificationAnswer } from '../../../src/payments/handle-payment-notification';

type Json = Record<string, Record<string, Record<string, Record<string, unknown>>>>;

/** The contract with one status less for POST /payments/wechat/notify. */
function contractWithout(status: string): Record<string, unknown> {
  const contract = structuredClone(readContract()) as Json;
  delete (contract.paths?.['/payments/wechat/notify']?.post?.responses as Record<string, unknown>)[status];
  return contract;
}

/**
 * The early notification route over real HTTP, with use cases that answer what a test tells them: what it does
 * with their answers (the documented-status check, a thrown error) and what it leaves to Express.
 */
describe('the notification route ahead of Express', () => {
  const lines: Record<string, unknown>[] = [];
  let next: () => Promise<NotificationAnswer>;
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    const destination = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const begin = earlyRouteAnswers({ metrics: createMetrics(), logger: createLogger('info', destination), trustProxy: () => false });
    const handleNotification = () => next();
    const route = notificationRoute({
      payments: { handleNotification },
      refunds: { handleNotification },
      begin,
      statusCheck: documentedStatusCheck(contractWithout('401')),
    });
    // What Express would be: a status no test expects from the early route.
    server = createServer((req, res) => void (route(req, res) || res.writeHead(418).end()));
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const post = (path: string, init: RequestInit = {}) => fetch(baseUrl + path, { method: 'POST', body: '{}', ...init });

  describe('given an answer whose status openapi.yaml does not document for the operation', () => {
    it('turns it into a 500, names the status and logs an error with the request id, as Express does', async () => {
      next = async () => ({ status: 401, body: { code: 'FAIL', message: 'signature verification failed' } });
      const answer = await post('/payments/wechat/notify', { headers: { 'X-Request-Id': 'trace-undocumented-1' } });
      expect(answer.status).toBe(500);
      expect(answer.headers.get('x-undocumented-status')).toBe('401');
      expect(lines).toContainEqual(
        expect.objectContaining({
          level: 50,
          msg: 'answer status not documented in openapi.yaml',
          status: 401,
          req: expect.objectContaining({ id: 'trace-undocumented-1' }),
        }),
      );
    });
  });

  describe('given a documented status', () => {
    it('lets it through', async () => {
      next = async () => ({ status: 401, body: { code: 'FAIL', message: 'signature verification failed' } });
      expect((await post('/refunds/wechat/notify')).status).toBe(401);
      next = async () => ({ status: 204 });
      expect((await post('/payments/wechat/notify')).status).toBe(204);
    });
  });

  describe('given a use case that throws', () => {
    it("answers the error handler's 500 INTERNAL problem with the request id and logs the error", async () => {
      next = () => Promise.reject(new Error('boom'));
      const answer = await post('/refunds/wechat/notify', { headers: { 'X-Request-Id': 'trace-throws-0001' } });
      expect(answer.status).toBe(500);
      expect(answer.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
      expect(await answer.json()).toMatchObject({ code: 'INTERNAL', request_id: 'trace-throws-0001' });
      expect(lines).toContainEqual(expect.objectContaining({ level: 50, msg: 'unexpected error', req: expect.objectContaining({ id: 'trace-throws-0001' }) }));
    });
  });

  describe.each([
    ['a query string', '/payments/wechat/notify?x=1', {}],
    ['a trailing slash', '/payments/wechat/notify/', {}],
    ['another case', '/Payments/WeChat/Notify', {}],
    ['another path', '/payments/wechat/notify2', {}],
    ['another method', '/payments/wechat/notify', { method: 'PUT' }],
    ['a gzip body', '/payments/wechat/notify', { body: gzipSync('{}'), headers: { 'Content-Encoding': 'gzip' } }],
  ] as const)('given %s', (_name, path, init) => {
    it('leaves the request to Express', async () => {
      next = async () => ({ status: 204 });
      expect((await post(path, init)).status).toBe(418);
    });
  });
});
