import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/observability/logger';
import { Order } from '../../src/persistence/entities/order';
import { call } from './helpers/http-client';
import { startTestStack, type TestStack } from './helpers/test-stack';
import { loginAs, type LoggedInTraveler } from './helpers/travelers';

/**
 * PostgreSQL refuses U+0000 in text, and a lone UTF-16 surrogate is no character at all (WeChat would get
 * mojibake): both are refused at the edge, whatever field or header carries them.
 */
describe('NUL characters and lone surrogates in a request', () => {
  const raw: string[] = [];
  let stack: TestStack;
  let traveler: LoggedInTraveler;
  beforeAll(async () => {
    const destination = new Writable({
      write(chunk, _encoding, done) {
        raw.push(String(chunk));
        done();
      },
    });
    stack = await startTestStack({ logger: createLogger('info', destination) });
    traveler = await loginAs(stack);
  });
  afterAll(() => stack.stop());

  const orderCount = () => stack.database.em.fork().count(Order, {});
  const createOrder = (bodyText: string) =>
    call(stack.api.url, 'POST', '/orders', { token: traveler.token, body: bodyText, headers: { 'Idempotency-Key': randomUUID() } });

  describe.each([
    ['a NUL', '"a\\u0000b"'],
    ['a lone high surrogate', '"seat \\ud83d"'],
    ['a lone low surrogate', '"\\ude00 seat"'],
  ])('given %s in an order description', (_name, description) => {
    it('answers 400 VALIDATION_FAILED naming the field, and creates no order', async () => {
      const before = await orderCount();
      const answer = await createOrder(`{"amount":100,"description":${description}}`);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: '/body/description' }] });
      expect(await orderCount()).toBe(before);
    });
  });

  describe('given a well-formed 4-byte character (a surrogate pair)', () => {
    it('is left to the contract rules, which refuse emoji in descriptions with their own message', async () => {
      const answer = await createOrder('{"amount":100,"description":"seat \\ud83d\\ude00"}');
      expect(answer.status).toBe(400);
      expect(String(answer.body.detail)).toMatch(/4-byte/);
    });
  });

  describe('given a NUL in a login code', () => {
    it('answers 400 VALIDATION_FAILED', async () => {
      const answer = await call(stack.api.url, 'POST', '/auth/wechat/login', { body: '{"code":"alice\\u0000-1"}' });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: '/body/code' }] });
    });
  });

  describe('given a NUL nested in a session request', () => {
    it('answers 400 VALIDATION_FAILED', async () => {
      const answer = await call(stack.api.url, 'POST', '/payments/session', { token: traveler.token, body: '{"order_id":"\\u0000"}' });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: '/body/order_id' }] });
    });
  });

  describe.each([
    ['a NUL', '%00'],
    ['bytes that are not UTF-8', '%ED%A0%BD'],
    ['a broken percent escape', '%E0%A4%A'],
  ])('given %s in a path id', (_name, id) => {
    it('answers 400 VALIDATION_FAILED', async () => {
      const answer = await call(stack.api.url, 'GET', `/payments/order${id}/status`, { token: traveler.token });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    });
  });

  describe('given a NUL in the query string', () => {
    it('answers 400 VALIDATION_FAILED', async () => {
      const answer = await call(stack.api.url, 'GET', `/payments/${randomUUID()}/status?x=%00`, { token: traveler.token });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    });
  });

  describe('given a database error while a request writes a row', () => {
    const marker = `refused-by-a-check-${randomUUID().slice(0, 8)}`;
    const constraint = `test_refuses_${marker.slice(-8)}`;
    beforeAll(() => stack.database.em.getConnection().execute(`alter table orders add constraint ${constraint} check (description <> '${marker}')`));
    afterAll(() => stack.database.em.getConnection().execute(`alter table orders drop constraint ${constraint}`));

    it('logs the error code and constraint without the statement or its values', async () => {
      const answer = await createOrder(JSON.stringify({ amount: 100, description: marker }));
      expect(answer.status).toBe(500);
      const failure = raw.find((line) => line.includes(constraint));
      expect(failure).toContain('"code":"23514"');
      expect(raw.filter((line) => line.includes(marker))).toEqual([]);
    });
  });

  describe('given any of these requests', () => {
    it('logged none of the refused text', () => {
      expect(raw.filter((line) => line.includes('a\\u0000b') || /insert into/i.test(line))).toEqual([]);
    });
  });
});
