import fc from 'fast-check';
import type { OrderStatus } from '../../src/persistence/entities/order';
import { formatBeijingTime } from '../../src/wechatpay-sdk/core/beijing-time';
import {
  buildNotification,
  createOrderAwaitingPayment,
  deliverNotification,
  paidTransaction,
  type BuiltNotification,
  type OrderAwaitingPayment,
} from './helpers/notifications';
import { eventsNamed, readPaymentRecords, type PaymentRecords } from './helpers/payment-records';
import { signNotification } from './helpers/notification-signing';
import { startTestStack, type TestStack } from './helpers/test-stack';
import { pollStatus, requestSession } from './helpers/travelers';

/**
 * What WeChat Pay may tell us about one order. Every id always carries the same bytes, as a redelivery does.
 * `untimed-success` has no success_time, so whether it came in time depends on when it arrives.
 */
const KINDS = ['success', 'late-success', 'untimed-success', 'amount-mismatch', 'not-success'] as const;
type Kind = (typeof KINDS)[number];

type Event = { type: 'deliver'; indexes: number[] } | { type: 'advance-clock'; seconds: number } | { type: 'request-session' } | { type: 'read-status' };

// 61 s and 11 min steps never land within seconds of the 13-minute (session margin) or 15-minute (seat lock) edges.
const eventArbitrary: fc.Arbitrary<Event> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ type: fc.constant('deliver' as const), indexes: fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('advance-clock' as const), seconds: fc.constantFrom(61, 11 * 60, 16 * 60) }) },
  { weight: 1, arbitrary: fc.constant({ type: 'request-session' as const }) },
  { weight: 1, arbitrary: fc.constant({ type: 'read-status' as const }) },
);

/** Traveler tokens live 2 hours on the test clock: one run never moves it further than this. */
const MAX_ADVANCE_SECONDS = 60 * 60;

interface Model {
  status: OrderStatus;
  paidAfterCancel: boolean;
}

/** What applying one (new) notification must do; redeliveries of a claimed id do nothing. */
function expectedAfter(model: Model, kind: Kind, inTime: boolean): Model {
  if (kind === 'amount-mismatch' || kind === 'not-success') return model;
  // In time when WeChat's success_time is within the seat lock, however late the notification; without one, the
  // delivery time stands in for it.
  const onTime = kind === 'success' || (kind === 'untimed-success' && inTime);
  if (model.status === 'pending') return onTime ? { status: 'paid', paidAfterCancel: false } : { status: 'cancelled', paidAfterCancel: true };
  if (model.status === 'cancelled') return { status: 'cancelled', paidAfterCancel: true };
  return model;
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/**
 * The invariants, checked after every event: paid stays paid, nothing returns to pending, the chain of
 * status-changing rows (from `order_created` on) starts at pending, links up, never reaches a status twice and
 * ends at the current status; at most one payment_succeeded row; and the state is the model's.
 */
function checkInvariants(records: PaymentRecords, previous: OrderStatus, model: Model): void {
  if (previous === 'paid') expect(records.order.status).toBe('paid');
  if (previous !== 'pending') expect(records.order.status).not.toBe('pending');
  const changes = records.history.filter((row) => row.fromStatus !== row.toStatus);
  const reached = changes.map((row) => row.toStatus);
  expect(reached[0]).toBe('pending');
  expect(new Set(reached).size).toBe(reached.length);
  changes.slice(1).forEach((row, i) => expect(row.fromStatus).toBe(changes[i]?.toStatus));
  expect(reached.at(-1)).toBe(records.order.status);
  expect(records.order).toMatchObject(model);
  expect(eventsNamed(records, 'payment_succeeded').length).toBeLessThanOrEqual(1);
  expect(eventsNamed(records, 'paid_after_cancel')).toHaveLength(model.paidAfterCancel ? 1 : 0);
}

describe('POST /payments/wechat/notify: properties over duplicated and reordered events', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  function buildPool(order: OrderAwaitingPayment, kinds: Kind[]): BuiltNotification[] {
    const { stored } = order;
    const overrides: Record<Kind, Record<string, unknown>> = {
      success: {},
      'late-success': { success_time: formatBeijingTime(new Date(stored.lockExpireAt.getTime() + 1000)) },
      'untimed-success': { success_time: undefined },
      'amount-mismatch': { amount: { total: stored.amount + 1, payer_total: stored.amount + 1, currency: 'CNY', payer_currency: 'CNY' } },
      'not-success': { trade_state: 'NOTPAY', transaction_id: undefined, success_time: undefined },
    };
    return kinds.map((kind) => buildNotification(stack, paidTransaction(stack, order.stored, overrides[kind])));
  }

  describe('given random sequences of duplicated and reordered notifications, clock moves, session requests and status reads', () => {
    it('moves the order state only forward, once, and explains it by its history', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.constantFrom(...KINDS), { minLength: 1, maxLength: 4 }),
          fc.array(eventArbitrary, { minLength: 1, maxLength: 10 }),
          async (kinds, events) => {
            const order = await createOrderAwaitingPayment(stack);
            const { stored, traveler } = order;
            const pool = buildPool(order, kinds);
            const claimed = new Set<number>();
            let model: Model = { status: 'pending', paidAfterCancel: false };
            let advanced = 0;
            let lastRead: string | undefined;
            let previous: OrderStatus = 'pending';
            const seatLockHolds = () => stack.clock.now().getTime() <= stored.lockExpireAt.getTime();

            for (const event of events) {
              if (event.type === 'deliver') {
                const picked = event.indexes.map((index) => index % pool.length);
                const inTime = seatLockHolds();
                const answers = await Promise.all(picked.map((i) => deliverNotification(stack, pool[i]!.body, signNotification(stack, pool[i]!.body))));
                expect(answers.map((answer) => answer.status)).toEqual(picked.map(() => 204));
                // parallel deliveries of different ids may be applied in any order: the result must match one of them
                const fresh = [...new Set(picked)].filter((i) => !claimed.has(i));
                const possible = permutations(fresh).map((order) => order.reduce((state, i) => expectedAfter(state, kinds[i]!, inTime), model));
                const { order: actual } = await readPaymentRecords(stack, stored);
                model = possible.find((state) => state.status === actual.status && state.paidAfterCancel === actual.paidAfterCancel) ?? possible[0]!;
                fresh.forEach((i) => claimed.add(i));
              } else if (event.type === 'advance-clock') {
                if (advanced + event.seconds <= MAX_ADVANCE_SECONDS) {
                  stack.clock.advance(event.seconds * 1000);
                  advanced += event.seconds;
                }
              } else if (event.type === 'request-session') {
                const answer = await requestSession(stack, traveler, stored.orderId);
                const payable = model.status === 'pending' && stored.lockExpireAt.getTime() - stack.clock.now().getTime() >= 2 * 60_000;
                const refusal = { paid: 'ORDER_ALREADY_PAID', cancelled: 'ORDER_CANCELLED', failed: 'ORDER_FAILED', pending: 'ORDER_EXPIRED' }[model.status];
                if (payable) expect(answer.status).toBe(200);
                else expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 409, code: refusal });
              } else {
                const answer = await pollStatus(stack, traveler, stored.orderId);
                expect([200, 429]).toContain(answer.status);
                if (answer.status === 200) {
                  // the stored state only: a lapsed order reads pending until it is closed (no job runs here)
                  expect(answer.body.status).toBe(model.status);
                  if (lastRead === 'paid') expect(answer.body.status).toBe('paid');
                  if (lastRead && lastRead !== 'pending') expect(answer.body.status).not.toBe('pending');
                  lastRead = answer.body.status;
                }
              }

              const records = await readPaymentRecords(stack, stored);
              checkInvariants(records, previous, model);
              previous = records.order.status;
              expect(records.notifications.map((row) => row.id).sort()).toEqual([...claimed].map((i) => pool[i]!.id).sort());
            }
          },
        ),
        { numRuns: 40 },
      );
    }, 120_000);
  });
});
