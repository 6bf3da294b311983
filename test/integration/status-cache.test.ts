import { call } from './helpers/http-client';
import { metricValue } from './helpers/metrics';
import { setOrderFields } from './helpers/orders-in-database';
import { startTestStack, type TestStack } from './helpers/test-stack';
import { createPendingOrder, loginAs, type LoggedInTraveler } from './helpers/travelers';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// One poll per order every 3 s: a second poll of the same order waits this long.
const POLL_INTERVAL_MS = 3100;

/** Polls on one instance in particular (the status cache is per instance). */
async function statusOn(stack: TestStack, instance: number, traveler: LoggedInTraveler, orderId: string): Promise<string> {
  const answer = await call<{ status: string }>(stack.apis[instance]!.url, 'GET', `/payments/${orderId}/status`, { token: traveler.token });
  return answer.body.status;
}

describe('status cache kept true by LISTEN/NOTIFY', () => {
  let stack: TestStack;
  let traveler: LoggedInTraveler;
  beforeAll(async () => {
    stack = await startTestStack({ instances: 2 });
    traveler = await loginAs(stack);
  });
  afterAll(() => stack.stop());

  describe('given an order polled on the second instance', () => {
    describe('when another writer changes it in the database', () => {
      it('answers the new status there once the change is announced', async () => {
        const order = await createPendingOrder(stack, traveler);
        expect(await statusOn(stack, 1, traveler, order.order_id)).toBe('pending');
        await setOrderFields(stack, order.order_id, { status: 'failed' });
        await sleep(POLL_INTERVAL_MS);
        expect(await statusOn(stack, 1, traveler, order.order_id)).toBe('failed');
      });
    });
  });

  describe('given an order not polled yet', () => {
    describe('when it is polled on the first instance, then changes', () => {
      it('counts it in payments_status_cache_entries there, then no longer', async () => {
        const order = await createPendingOrder(stack, traveler);
        const before = await metricValue(stack, 'payments_status_cache_entries');

        await statusOn(stack, 0, traveler, order.order_id);
        const polled = await metricValue(stack, 'payments_status_cache_entries');
        await setOrderFields(stack, order.order_id, { status: 'failed' });

        expect(polled).toBe(before + 1);
        expect(await metricValue(stack, 'payments_status_cache_entries')).toBe(before);
      });
    });
  });

  describe("given the listeners' connections are cut", () => {
    describe('when an order changes before they listen again', () => {
      it('answers the new status, not the one kept before the cut', async () => {
        const order = await createPendingOrder(stack, traveler);
        expect(await statusOn(stack, 1, traveler, order.order_id)).toBe('pending');
        const lost = stack.apis.map((api) => api.orderChangeHeard(order.order_id));
        await stack.database.em.getConnection().execute(`select pg_terminate_backend(pid) from pg_stat_activity where query = 'listen order_changed'`);
        await Promise.all(lost);
        await stack.database.em.getConnection().execute(`update orders set status = 'failed' where id = ?`, [order.order_id]);
        await sleep(POLL_INTERVAL_MS);
        expect(await statusOn(stack, 1, traveler, order.order_id)).toBe('failed');
      });
    });
  });
});
