import { randomUUID } from 'node:crypto';
import { call, type HttpAnswer } from './helpers/http-client';
import { startCuttableProxy, type CuttableProxy } from './helpers/cuttable-proxy';
import { startTestStack, type TestStack } from './helpers/test-stack';
import { createPendingOrder, loginAs, type LoggedInTraveler } from './helpers/travelers';

/** The database goes away under a running API, then comes back: the API answers 503 meanwhile and heals by itself. */
describe('a database outage', () => {
  let proxy: CuttableProxy;
  let stack: TestStack;
  let traveler: LoggedInTraveler;
  let orderId: string;
  beforeAll(async () => {
    proxy = await startCuttableProxy(process.env.DATABASE_URL as string);
    stack = await startTestStack({ env: { DATABASE_URL: proxy.url } });
    traveler = await loginAs(stack);
    orderId = (await createPendingOrder(stack, traveler)).order_id;
  });
  afterAll(async () => {
    await stack.stop();
    await proxy.close();
  });

  const travelerRequests: [string, () => Promise<HttpAnswer>][] = [
    ['POST /auth/wechat/login', () => call(stack.api.url, 'POST', '/auth/wechat/login', { body: { code: `outage-${randomUUID()}` } })],
    [
      'POST /orders',
      () =>
        call(stack.api.url, 'POST', '/orders', {
          token: traveler.token,
          body: { amount: 100, description: 'outage' },
          headers: { 'Idempotency-Key': randomUUID() },
        }),
    ],
    ['POST /payments/session', () => call(stack.api.url, 'POST', '/payments/session', { token: traveler.token, body: { order_id: orderId } })],
    ['GET /payments/{orderId}/status', () => call(stack.api.url, 'GET', `/payments/${orderId}/status`, { token: traveler.token })],
  ];

  describe('given the database is unreachable', () => {
    beforeAll(() => proxy.cut());

    it.each(travelerRequests)('%s answers 503 DATABASE_UNAVAILABLE with Retry-After', async (_route, send) => {
      const answer = await send();
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ code: 'DATABASE_UNAVAILABLE', status: 503, request_id: answer.headers.get('x-request-id') });
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('stays up: /healthz answers 200 and /readyz 503', async () => {
      expect((await call(stack.api.url, 'GET', '/healthz')).status).toBe(200);
      expect((await call(stack.api.url, 'GET', '/readyz')).status).toBe(503);
    });
  });

  describe('given the database comes back', () => {
    beforeAll(async () => {
      await proxy.restore();
      // A fresh order: the one polled during the outage is still within its 3-second poll allowance.
      for (let attempt = 0; attempt < 100 && (await call(stack.api.url, 'GET', '/readyz')).status !== 200; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      orderId = (await createPendingOrder(stack, traveler)).order_id;
    });

    it('is ready again without a restart', async () => {
      expect((await call(stack.api.url, 'GET', '/readyz')).status).toBe(200);
    });

    it.each(travelerRequests)('%s succeeds again', async (_route, send) => {
      expect((await send()).status).toBeLessThan(300);
    });
  });
});
