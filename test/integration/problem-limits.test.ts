import { randomUUID } from 'node:crypto';
import { createContractChecker } from '../helpers/contract-answers';
import { call } from './helpers/http-client';
import { startTestStack, type TestStack } from './helpers/test-stack';
import { loginAs, type LoggedInTraveler } from './helpers/travelers';

/** A refusal of an absurd request still fits the contract's own Problem schema (errors ≤ 100, each field bounded). */
describe('problem bodies of absurd requests', () => {
  const contract = createContractChecker();
  let stack: TestStack;
  let traveler: LoggedInTraveler;
  beforeAll(async () => {
    stack = await startTestStack();
    traveler = await loginAs(stack);
  });
  afterAll(() => stack.stop());

  describe('given a query string of 3,000 unknown parameters, the first with a 1,050-character name', () => {
    it('answers 400 VALIDATION_FAILED with a body the contract allows', async () => {
      // Names that are not integers, so the long one is the first unknown parameter; the whole line stays under Node's 16 KB.
      const names = ['x'.repeat(1050), ...Array.from({ length: 2999 }, (_, i) => String.fromCharCode(97 + (i % 26)) + Math.floor(i / 26).toString(36))];
      const query = names.map((name) => `${name}=`).join('&');
      const path = `/payments/${randomUUID()}/status`;
      const answer = await call(stack.api.url, 'GET', `${path}?${query}`, { token: traveler.token });
      expect(answer.status).toBe(400);
      expect(contract.check({ method: 'GET', path, status: answer.status, contentType: answer.headers.get('content-type'), text: answer.text })).toEqual([]);
      expect((answer.body.errors as unknown[]).length).toBeLessThanOrEqual(100);
    });
  });

  describe('given a body whose only field has a 10,000-character name', () => {
    it('answers 400 VALIDATION_FAILED with each error path cut to the contract length', async () => {
      const body = JSON.stringify({ order_id: 'x', ['n'.repeat(10000)]: 1 });
      const answer = await call(stack.api.url, 'POST', '/payments/session', { token: traveler.token, body });
      expect(answer.status).toBe(400);
      expect(
        contract.check({
          method: 'POST',
          path: '/payments/session',
          status: answer.status,
          contentType: answer.headers.get('content-type'),
          text: answer.text,
        }),
      ).toEqual([]);
    });
  });

  describe('given a body with 300 fields the contract does not know', () => {
    it('answers 400 VALIDATION_FAILED listing at most 100 errors', async () => {
      const body = Object.fromEntries([['order_id', 'x'], ...Array.from({ length: 300 }, (_, i) => [`extra${i}`, i])]);
      const answer = await call(stack.api.url, 'POST', '/payments/session', { token: traveler.token, body });
      expect(answer.status).toBe(400);
      expect(
        contract.check({
          method: 'POST',
          path: '/payments/session',
          status: answer.status,
          contentType: answer.headers.get('content-type'),
          text: answer.text,
        }),
      ).toEqual([]);
    });
  });
});
