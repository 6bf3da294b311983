import { randomUUID } from 'node:crypto';
import { Order } from '../../src/persistence/entities/order';
import { call } from './helpers/http-client';
import { startTestStack, type TestStack } from './helpers/test-stack';
import { loginAs, type LoggedInTraveler } from './helpers/travelers';

describe('POST /orders', () => {
  let stack: TestStack;
  let traveler: LoggedInTraveler;
  beforeAll(async () => {
    stack = await startTestStack();
    traveler = await loginAs(stack);
  });
  afterAll(() => stack.stop());

  const createOrder = (body: unknown, key: string | null = randomUUID(), token = traveler.token) =>
    call(stack.api.url, 'POST', '/orders', { token, body, headers: key ? { 'Idempotency-Key': key } : {} });

  describe('given a traveler', () => {
    describe('when an order is created', () => {
      it('is pending with a 15-minute seat lock', async () => {
        const before = Date.now();
        const answer = await createOrder({ amount: 8800, description: 'G7311 seat 05A' });
        expect(answer.status).toBe(201);
        expect(answer.body).toMatchObject({ amount: 8800, description: 'G7311 seat 05A', status: 'pending' });
        const lockMs = Date.parse(answer.body.lock_expire_at as string) - before;
        expect(lockMs).toBeGreaterThan(14.9 * 60_000);
        expect(lockMs).toBeLessThan(15.1 * 60_000);
      });
    });
  });

  describe('given an Idempotency-Key already used', () => {
    describe('when repeated with the same body', () => {
      it('replays the first answer and creates no second order', async () => {
        const key = randomUUID();
        const first = await createOrder({ amount: 100, description: 'replay' }, key);
        const second = await createOrder({ amount: 100, description: 'replay' }, key);
        expect(second.status).toBe(201);
        expect(second.text).toBe(first.text);
        expect(second.headers.get('idempotent-replayed')).toBe('true');
      });
    });

    describe('when repeated with a different body', () => {
      it('answers 422 IDEMPOTENCY_KEY_REUSED', async () => {
        const key = randomUUID();
        await createOrder({ amount: 100, description: 'one' }, key);
        const answer = await createOrder({ amount: 200, description: 'one' }, key);
        expect(answer.status).toBe(422);
        expect(answer.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', status: 422 });
      });
    });
  });

  describe('given 20 parallel requests with one key', () => {
    it('creates exactly one order and answers all of them identically', async () => {
      const key = randomUUID();
      const answers = await Promise.all(Array.from({ length: 20 }, () => createOrder({ amount: 4200, description: 'parallel' }, key)));
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
      expect(new Set(answers.map((a) => a.body.order_id)).size).toBe(1);
      const em = stack.database.em.fork();
      expect(await em.count(Order, { description: 'parallel', amount: 4200 })).toBe(1);
    });
  });

  describe.each([
    ['amount 0', { amount: 0, description: 'x' }],
    ['a fractional amount', { amount: 1.5, description: 'x' }],
    ['an empty description', { amount: 1, description: '' }],
    ['a 128-character description', { amount: 1, description: 'x'.repeat(128) }],
    ['an emoji in the description', { amount: 1, description: 'ticket 🎫' }],
    ['an unknown field', { amount: 1, description: 'x', status: 'paid' }],
  ])('given %s', (_name, body) => {
    it('answers 400 VALIDATION_FAILED as problem+json with the request id', async () => {
      const answer = await createOrder(body);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(answer.body).toMatchObject({ code: 'VALIDATION_FAILED', status: 400, request_id: answer.headers.get('x-request-id') });
    });
  });

  describe('given no Idempotency-Key', () => {
    it('answers 400 VALIDATION_FAILED', async () => {
      const answer = await createOrder({ amount: 1, description: 'x' }, null);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('given no bearer token', () => {
    it('answers 401 UNAUTHORIZED', async () => {
      const answer = await call(stack.api.url, 'POST', '/orders', { body: { amount: 1, description: 'x' }, headers: { 'Idempotency-Key': randomUUID() } });
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ code: 'UNAUTHORIZED', request_id: answer.headers.get('x-request-id') });
    });
  });

  describe('given a body that is not JSON', () => {
    it('answers 400, never a 5xx', async () => {
      const answer = await call(stack.api.url, 'POST', '/orders', { token: traveler.token, body: '{"amount":', headers: { 'Idempotency-Key': randomUUID() } });
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('VALIDATION_FAILED');
    });
  });
});
