import { findOrder, historyOf } from './helpers/orders-in-database';
import { startTestStack, type TestStack } from './helpers/test-stack';
import { createPendingOrder, loginAs, requestSession, sandboxCalls, type LoggedInTraveler } from './helpers/travelers';

const JSAPI = '/v3/pay/transactions/jsapi';

async function expectOneTransaction(stack: TestStack, orderId: string, answers: { status: number; text: string }[], callsBefore: number) {
  expect(answers.map((a) => a.status)).toEqual(Array(answers.length).fill(200));
  expect(new Set(answers.map((a) => a.text)).size).toBe(1);
  expect((await sandboxCalls(stack, JSAPI)).length - callsBefore).toBe(1);
  expect((await historyOf(stack, orderId)).filter((h) => h.event === 'session_created')).toHaveLength(1);
  expect((await findOrder(stack, orderId)).outTradeNo).toMatch(/^[0-9a-f]{32}$/);
}

describe('one active transaction per order under concurrency', () => {
  let stack: TestStack;
  let traveler: LoggedInTraveler;
  beforeAll(async () => {
    stack = await startTestStack({ instances: 2 });
    traveler = await loginAs(stack);
  });
  afterAll(() => stack.stop());

  describe('given 50 parallel session requests on one instance', () => {
    it('calls WeChat once and gives all 50 identical parameters', async () => {
      const order = await createPendingOrder(stack, traveler);
      const callsBefore = (await sandboxCalls(stack, JSAPI)).length;
      const answers = await Promise.all(Array.from({ length: 50 }, () => requestSession(stack, traveler, order.order_id)));
      await expectOneTransaction(stack, order.order_id, answers, callsBefore);
    });
  });

  describe('given 50 parallel session requests spread over two instances sharing the database', () => {
    it('calls WeChat once', async () => {
      const order = await createPendingOrder(stack, traveler);
      const callsBefore = (await sandboxCalls(stack, JSAPI)).length;
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => requestSession(stack, traveler, order.order_id, (stack.apis[i % 2] ?? stack.api).url)),
      );
      await expectOneTransaction(stack, order.order_id, answers, callsBefore);
    });
  });
});
