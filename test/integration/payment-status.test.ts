import { randomUUID } from 'node:crypto';
import { call } from './helpers/http-client';
import { setOrderFields } from './helpers/orders-in-database';
import { startTestStack, type TestStack } from './helpers/test-stack';
import { createPendingOrder, loginAs, payInSandbox, pollStatus, requestSession, sandboxCalls, waitForStatus, type LoggedInTraveler } from './helpers/travelers';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('GET /payments/{orderId}/status', () => {
  let stack: TestStack;
  let traveler: LoggedInTraveler;
  beforeAll(async () => {
    stack = await startTestStack();
    traveler = await loginAs(stack);
  });
  afterAll(() => stack.stop());

  describe('given a pending order', () => {
    it('answers pending with its seat lock expiry', async () => {
      const order = await createPendingOrder(stack, traveler);
      const answer = await pollStatus(stack, traveler, order.order_id);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ status: 'pending', lock_expire_at: order.lock_expire_at });
    });
  });

  describe('given the webhook has marked the order paid', () => {
    describe('when polled', () => {
      it('answers paid and never calls WeChat', async () => {
        const order = await createPendingOrder(stack, traveler);
        const session = await requestSession(stack, traveler, order.order_id);
        await payInSandbox(stack, session.body);
        const callsBefore = (await sandboxCalls(stack)).length;
        expect(await waitForStatus(stack, traveler, order.order_id, 'paid')).toBe('paid');
        expect((await sandboxCalls(stack)).length).toBe(callsBefore);
      });
    });
  });

  describe('given a pending order whose seat lock has expired, not yet closed', () => {
    it('reads pending with its past lock_expire_at', async () => {
      const order = await createPendingOrder(stack, traveler);
      const lapsedAt = new Date(stack.clock.now().getTime() - 1000);
      await setOrderFields(stack, order.order_id, { lockExpireAt: lapsedAt });
      expect((await pollStatus(stack, traveler, order.order_id)).body).toEqual({ status: 'pending', lock_expire_at: lapsedAt.toISOString() });
    });
  });

  describe('given twenty travelers polling at the same moment (their reads share one statement)', () => {
    it("answers each with their own order, and a stranger's poll among them with 404", async () => {
      const travelers = await Promise.all(Array.from({ length: 20 }, () => loginAs(stack)));
      const orders = await Promise.all(travelers.map((each) => createPendingOrder(stack, each)));
      const [answers, stranger] = await Promise.all([
        Promise.all(travelers.map((each, i) => pollStatus(stack, each, orders[i]?.order_id as string))),
        pollStatus(stack, traveler, orders[7]?.order_id as string),
      ]);
      expect(answers.map((answer) => answer.body)).toEqual(orders.map((order) => ({ status: 'pending', lock_expire_at: order.lock_expire_at })));
      expect(stranger.status).toBe(404);
    });
  });

  describe("given another traveler's order or an unknown one", () => {
    it('answers 404 ORDER_NOT_FOUND', async () => {
      const bob = await loginAs(stack);
      const bobsOrder = await createPendingOrder(stack, bob);
      const foreign = await pollStatus(stack, traveler, bobsOrder.order_id);
      const unknown = await pollStatus(stack, traveler, randomUUID());
      expect([foreign.status, unknown.status]).toEqual([404, 404]);
      expect(foreign.body.code).toBe('ORDER_NOT_FOUND');
      expect(unknown.body.code).toBe('ORDER_NOT_FOUND');
    });
  });

  describe('given a poll', () => {
    describe('when polled again within 3 s', () => {
      it('answers 429 with Retry-After and a problem body; after 3 s it is allowed again', async () => {
        const order = await createPendingOrder(stack, traveler);
        expect((await pollStatus(stack, traveler, order.order_id)).status).toBe(200);
        const limited = await pollStatus(stack, traveler, order.order_id);
        expect(limited.status).toBe(429);
        const retryAfter = Number(limited.headers.get('retry-after'));
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(3);
        expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(limited.body).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
        await sleep(3100);
        expect((await pollStatus(stack, traveler, order.order_id)).status).toBe(200);
      });
    });
  });

  describe('given a traveler spreading polls over many order ids', () => {
    it('answers 429 at the per-traveler ceiling', async () => {
      const spreader = await loginAs(stack);
      const statuses: number[] = [];
      for (let i = 0; i < 31; i++) statuses.push((await pollStatus(stack, spreader, randomUUID())).status);
      expect(statuses.slice(0, 30)).toEqual(Array(30).fill(404));
      expect(statuses[30]).toBe(429);
    });
  });

  describe('given no token', () => {
    it('answers 401', async () => {
      expect((await call(stack.api.url, 'GET', `/payments/${randomUUID()}/status`)).status).toBe(401);
    });
  });
});

describe('the poll limit shared through PostgreSQL (RATE_LIMIT_STORE=postgres)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ instances: 2, env: { RATE_LIMIT_STORE: 'postgres' } });
  });
  afterAll(() => stack.stop());

  describe('given 20 concurrent polls for one order over two instances', () => {
    it('allows exactly one and answers the rest 429 with Retry-After', async () => {
      const traveler = await loginAs(stack);
      const order = await createPendingOrder(stack, traveler);
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          call((stack.apis[i % 2] ?? stack.api).url, 'GET', `/payments/${order.order_id}/status`, { token: traveler.token }),
        ),
      );
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
      const limited = answers.filter((a) => a.status === 429);
      expect(limited).toHaveLength(19);
      for (const answer of limited) expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    });
  });
});
