import { randomUUID } from 'node:crypto';
import { call, type HttpAnswer } from './helpers/http-client';
import { metricIncrease } from './helpers/metrics';
import { connectionPoolOf } from '../../src/persistence/connection-pool';
import { SharedWindowCounts } from '../../src/rate-limits/shared-window-counts';
import { startTestStack, type TestStack } from './helpers/test-stack';
import { createPendingOrder, loginAs, requestSession, type LoggedInTraveler } from './helpers/travelers';

const ORDER = { amount: 8800, description: 'G7311 seat 05A' };

function login(stack: TestStack, clientIp?: string) {
  const headers: Record<string, string> = clientIp ? { 'X-Forwarded-For': clientIp } : {};
  return call<{ token: string }>(stack.api.url, 'POST', '/auth/wechat/login', {
    body: { code: `limited${randomUUID().slice(0, 8)}-${randomUUID()}` },
    headers,
  });
}

let nextAddress = 1;

/** Behind the trusted proxy each traveler logs in from an address of their own, as phones do. */
async function travelerBehindProxy(stack: TestStack): Promise<LoggedInTraveler> {
  const answer = await login(stack, `192.0.2.${nextAddress++}`);
  if (answer.status !== 200) throw new Error(`login failed: ${answer.status} ${answer.text}`);
  return { token: answer.body.token, openid: '' };
}

function createOrder(stack: TestStack, traveler: LoggedInTraveler, baseUrl = stack.api.url) {
  return call(baseUrl, 'POST', '/orders', { token: traveler.token, body: ORDER, headers: { 'Idempotency-Key': randomUUID() } });
}

function expectRateLimited(answer: HttpAnswer, maxRetryAfter: number): void {
  expect(answer.status).toBe(429);
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(answer.body).toMatchObject({ code: 'RATE_LIMITED', status: 429, type: '/docs/problems#RATE_LIMITED' });
  const retryAfter = Number(answer.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxRetryAfter);
}

async function countOrders(stack: TestStack): Promise<number> {
  const [row] = await stack.database.em.getConnection().execute<{ count: string }[]>('select count(*) from orders');
  return Number(row?.count);
}

describe('abuse limits', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({
      env: { RATE_LIMIT_ORDERS: '2/600', RATE_LIMIT_SESSIONS: '2/60', RATE_LIMIT_LOGINS: '2/60', TRUST_PROXY: 'loopback' },
    });
  });
  afterAll(() => stack.stop());

  describe('given a traveler who created RATE_LIMIT_ORDERS orders', () => {
    let traveler: LoggedInTraveler;
    let refused: HttpAnswer;
    let ordersBefore: number;
    beforeAll(async () => {
      traveler = await travelerBehindProxy(stack);
      for (let i = 0; i < 2; i++) expect((await createOrder(stack, traveler)).status).toBe(201);
      ordersBefore = await countOrders(stack);
      refused = await createOrder(stack, traveler);
    });

    it('answers the next order 429 RATE_LIMITED with Retry-After', () => {
      expectRateLimited(refused, 600);
    });

    it('creates no order for the refused request', async () => {
      expect(await countOrders(stack)).toBe(ordersBefore);
    });

    it('still lets another traveler create an order', async () => {
      expect((await createOrder(stack, await travelerBehindProxy(stack))).status).toBe(201);
    });

    it('counts the refusal under limit="order-create"', async () => {
      expect(await metricIncrease(stack, 'http_rate_limited_total', { limit: 'order-create' }, () => createOrder(stack, traveler))).toBe(1);
    });
  });

  describe('given a traveler who requested RATE_LIMIT_SESSIONS payment sessions', () => {
    let traveler: LoggedInTraveler;
    let orderId: string;
    beforeAll(async () => {
      traveler = await travelerBehindProxy(stack);
      orderId = (await createPendingOrder(stack, traveler)).order_id;
      for (let i = 0; i < 2; i++) expect((await requestSession(stack, traveler, orderId)).status).toBe(200);
    });

    it('answers the next session request 429 RATE_LIMITED with Retry-After', async () => {
      expectRateLimited(await requestSession(stack, traveler, orderId), 60);
    });

    it('still gives another traveler a session', async () => {
      const other = await travelerBehindProxy(stack);
      expect((await requestSession(stack, other, (await createPendingOrder(stack, other)).order_id)).status).toBe(200);
    });
  });

  describe('given RATE_LIMIT_LOGINS logins from one client address behind a trusted proxy', () => {
    beforeAll(async () => {
      for (let i = 0; i < 2; i++) expect((await login(stack, '203.0.113.7')).status).toBe(200);
    });

    it('answers the next login from that address 429 RATE_LIMITED with Retry-After', async () => {
      expectRateLimited(await login(stack, '203.0.113.7'), 60);
    });

    it('still logs in a traveler from another address', async () => {
      expect((await login(stack, '203.0.113.8')).status).toBe(200);
    });
  });
});

describe('the login limit without a trusted proxy', () => {
  describe('given RATE_LIMIT_LOGINS logins, each claiming another X-Forwarded-For', () => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await startTestStack({ env: { RATE_LIMIT_LOGINS: '2/60' } });
      for (let i = 0; i < 2; i++) expect((await login(stack, `198.51.100.${i}`)).status).toBe(200);
    });
    afterAll(() => stack.stop());

    it('limits by the peer address, so a forged header does not buy more logins', async () => {
      expectRateLimited(await login(stack, '198.51.100.99'), 60);
    });
  });
});

describe('limits shared by several instances', () => {
  describe('given RATE_LIMIT_STORE=postgres and a traveler who created an order on each of two instances', () => {
    let stack: TestStack;
    let traveler: LoggedInTraveler;
    beforeAll(async () => {
      stack = await startTestStack({ instances: 2, env: { RATE_LIMIT_STORE: 'postgres', RATE_LIMIT_ORDERS: '2/600' } });
      traveler = await loginAs(stack);
      for (const api of stack.apis) expect((await createOrder(stack, traveler, api.url)).status).toBe(201);
    });
    afterAll(() => stack.stop());

    it('answers the next order on either instance 429 RATE_LIMITED', async () => {
      for (const api of stack.apis) expectRateLimited(await createOrder(stack, traveler, api.url), 600);
    });

    it('keeps the count in the rate_limits table', async () => {
      const rows = await stack.database.em.getConnection().execute<{ key: string }[]>(`select key from rate_limits where key like 'order-create:%'`);
      expect(rows.length).toBeGreaterThanOrEqual(1);
    });
  });
});

describe('the shared counts in PostgreSQL', () => {
  let stack: TestStack;
  let clock: number;
  let counts: SharedWindowCounts;
  const window = { points: 2, durationMs: 3000 };
  beforeAll(async () => {
    stack = await startTestStack({ env: { RATE_LIMIT_STORE: 'postgres' } });
    clock = Date.now();
    counts = new SharedWindowCounts(connectionPoolOf(stack.database.em), () => clock);
  });
  afterAll(() => stack.stop());

  describe('given hits of one key in the same turn, more than its budget', () => {
    it('counts them in one statement, in order: the ones over the budget wait for the window to close', async () => {
      const key = `test:${randomUUID()}`;
      const answers = await Promise.all([counts.hit(key, window), counts.hit(key, window), counts.hit(key, window)]);
      expect(answers).toEqual([0, 0, 3000]);
    });
  });

  describe('given a key whose window has closed', () => {
    it('opens a new window with this hit', async () => {
      const key = `test:${randomUUID()}`;
      await Promise.all([counts.hit(key, window), counts.hit(key, window)]);
      expect(await counts.hit(key, window)).toBe(3000);
      clock += 1000;
      expect(await counts.hit(key, window)).toBe(2000);
      clock += 2000;
      expect(await counts.hit(key, window)).toBe(0);
    });
  });

  describe('the table', () => {
    it('is unlogged: counting a hit never waits for a WAL flush', async () => {
      const rows = await stack.database.em
        .getConnection()
        .execute<{ relpersistence: string }[]>(`select relpersistence from pg_class where relname = 'rate_limits'`);
      expect(rows).toEqual([{ relpersistence: 'u' }]);
    });
  });

  describe('given keys of different limits in the same turn', () => {
    it('answers each against its own budget', async () => {
      const [strict, loose] = [`test:${randomUUID()}`, `test:${randomUUID()}`];
      const answers = await Promise.all([
        counts.hit(strict, { points: 1, durationMs: 60_000 }),
        counts.hit(strict, { points: 1, durationMs: 60_000 }),
        counts.hit(loose, { points: 5, durationMs: 1000 }),
        counts.hit(loose, { points: 5, durationMs: 1000 }),
      ]);
      expect(answers).toEqual([0, 60_000, 0, 0]);
    });
  });
});
