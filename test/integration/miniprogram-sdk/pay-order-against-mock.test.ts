import { listOperations, resolveRef, type JsonObject } from '../../../scripts/contract/contract-document';
import { createPaymentClient, type PayResult } from '../../../miniprogram-sdk/src';
import { startPrismMock, type RunningMock } from './prism-mock';
import { answersTo, createWxShim, type WxShimOptions } from './wx-shim';

const ORDER_ID = '3f2b8c1e-6a1d-4f7b-9c3e-2d5a8b7c6e10';
const FAST_RETRY = { attempts: 3, backoffMs: () => 10 };
/** One poll, right away: each status example decides the outcome by itself. */
const ONE_POLL = { firstPollDelayMs: 0, timeoutMs: 100 };

type Step = 'login' | 'session' | 'status';
const PATH_OF: Record<string, Step> = { '/auth/wechat/login': 'login', '/payments/session': 'session' };
const stepOf = (path: string): Step | undefined => PATH_OF[path] ?? (path.endsWith('/status') ? 'status' : undefined);

/** `Prefer` for one documented answer of one step; `times` limits it to the first calls, then the happy answer. */
function preferring(step: Step, prefer: string, times = Infinity): WxShimOptions['extraHeaders'] {
  return ({ path, nth }) => {
    if (stepOf(path) === step && nth <= times) return { Prefer: prefer };
    return { Prefer: { login: 'example=token', session: 'example=created', status: 'example=paid' }[stepOf(path) ?? 'login'] };
  };
}

const error = (code: string, httpStatus: number) => ({ outcome: 'error', orderId: ORDER_ID, code, httpStatus });
const outcome = (name: PayResult['outcome']) => ({ outcome: name, orderId: ORDER_ID });

/** What payOrder resolves to when the step answers this documented (status, example). */
const PAY_ORDER_EXPECTATIONS: Record<string, object> = {
  'loginWithWechat 200 token': outcome('paid'),
  'loginWithWechat 400 validation': error('VALIDATION_FAILED', 400),
  'loginWithWechat 400 invalidJson': error('VALIDATION_FAILED', 400),
  'loginWithWechat 400 unreadableBody': error('BAD_REQUEST', 400),
  'loginWithWechat 401 invalidCode': error('WECHAT_LOGIN_FAILED', 401),
  'loginWithWechat 413 tooLarge': error('PAYLOAD_TOO_LARGE', 413),
  'loginWithWechat 415 notJson': error('UNSUPPORTED_MEDIA_TYPE', 415),
  'loginWithWechat 429 tooManyLogins': error('RATE_LIMITED', 429),
  'loginWithWechat 500 internal': error('INTERNAL', 500),
  'loginWithWechat 502 wechatUnavailable': error('WECHAT_UNAVAILABLE', 502),
  'loginWithWechat 503 databaseUnavailable': error('DATABASE_UNAVAILABLE', 503),
  'loginWithWechat 504 wechatTimeout': error('WECHAT_TIMEOUT', 504),
  'createPaymentSession 200 created': outcome('paid'),
  'createPaymentSession 200 repeat': outcome('paid'),
  'createPaymentSession 400 validation': error('VALIDATION_FAILED', 400),
  'createPaymentSession 400 invalidJson': error('VALIDATION_FAILED', 400),
  'createPaymentSession 400 unreadableBody': error('BAD_REQUEST', 400),
  'createPaymentSession 401 unauthorized': error('UNAUTHORIZED', 401),
  'createPaymentSession 403 openidMismatch': error('OPENID_MISMATCH', 403),
  'createPaymentSession 404 notFound': error('ORDER_NOT_FOUND', 404),
  'createPaymentSession 409 alreadyPaid': outcome('paid'),
  'createPaymentSession 409 expired': outcome('expired'),
  'createPaymentSession 409 cancelled': outcome('expired'),
  'createPaymentSession 409 failed': outcome('failed'),
  'createPaymentSession 409 inProgress': error('PAYMENT_IN_PROGRESS', 409),
  'createPaymentSession 413 tooLarge': error('PAYLOAD_TOO_LARGE', 413),
  'createPaymentSession 415 notJson': error('UNSUPPORTED_MEDIA_TYPE', 415),
  'createPaymentSession 429 tooManySessionRequests': error('RATE_LIMITED', 429),
  'createPaymentSession 500 internal': error('INTERNAL', 500),
  'createPaymentSession 502 wechatUnavailable': error('WECHAT_UNAVAILABLE', 502),
  'createPaymentSession 503 databaseUnavailable': error('DATABASE_UNAVAILABLE', 503),
  'createPaymentSession 504 wechatTimeout': error('WECHAT_TIMEOUT', 504),
  'getPaymentStatus 200 pending': outcome('still_pending'),
  'getPaymentStatus 200 paid': outcome('paid'),
  // The additive refund object changes nothing for an SDK that does not know it: the order was paid.
  'getPaymentStatus 200 refunded': outcome('paid'),
  'getPaymentStatus 200 failed': outcome('failed'),
  'getPaymentStatus 200 cancelled': outcome('expired'),
  'getPaymentStatus 400 validation': error('VALIDATION_FAILED', 400),
  'getPaymentStatus 401 unauthorized': error('UNAUTHORIZED', 401),
  'getPaymentStatus 404 notFound': error('ORDER_NOT_FOUND', 404),
  // The payment may have gone through: a throttled or failing poll is "not known yet", never an error.
  'getPaymentStatus 429 rateLimited': outcome('still_pending'),
  // The SDK never sends a body with a poll; a 413 there is a bug to report, not a pending payment.
  'getPaymentStatus 413 tooLarge': error('PAYLOAD_TOO_LARGE', 413),
  'getPaymentStatus 500 internal': outcome('still_pending'),
  'getPaymentStatus 503 databaseUnavailable': outcome('still_pending'),
};

/** What createOrder does when POST /orders answers this documented (status, example): the order, or the code it rejects with. */
const CREATE_ORDER_EXPECTATIONS: Record<string, string> = {
  'createOrder 201 created': 'resolves',
  'createOrder 400 validation': 'VALIDATION_FAILED',
  'createOrder 400 missingIdempotencyKey': 'VALIDATION_FAILED',
  'createOrder 400 invalidJson': 'VALIDATION_FAILED',
  'createOrder 400 unreadableBody': 'BAD_REQUEST',
  'createOrder 401 unauthorized': 'UNAUTHORIZED',
  'createOrder 413 tooLarge': 'PAYLOAD_TOO_LARGE',
  'createOrder 415 notJson': 'UNSUPPORTED_MEDIA_TYPE',
  'createOrder 422 keyReused': 'IDEMPOTENCY_KEY_REUSED',
  'createOrder 429 tooManyOrders': 'RATE_LIMITED',
  'createOrder 500 internal': 'INTERNAL',
  'createOrder 503 databaseUnavailable': 'DATABASE_UNAVAILABLE',
};

const STEP_OF_OPERATION: Record<string, Step> = { loginWithWechat: 'login', createPaymentSession: 'session', getPaymentStatus: 'status' };

/** Every documented (operation, status, example) of the operations the SDK calls. */
function documentedAnswers(contract: JsonObject, operationIds: string[]): { key: string; status: string; example: string; operationId: string }[] {
  return listOperations(contract)
    .filter(({ operationId }) => operationIds.includes(operationId))
    .flatMap(({ operationId, operation }) =>
      Object.entries(operation.responses as JsonObject).flatMap(([status, ref]) => {
        const content = Object.values((resolveRef(contract, ref).content ?? {}) as Record<string, JsonObject>)[0];
        return Object.keys((content?.examples ?? {}) as JsonObject).map((example) => ({
          key: `${operationId} ${status} ${example}`,
          status,
          example,
          operationId,
        }));
      }),
    );
}

describe('miniprogram-sdk against the Prism mock', () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startPrismMock();
  });
  afterAll(() => mock.stop());

  function clientFor(options: WxShimOptions) {
    const wx = createWxShim(options);
    return { wx, client: createPaymentClient({ baseUrl: mock.url, wx, retry: FAST_RETRY }) };
  }

  describe('given every documented answer of login, session and status', () => {
    it('each one has an expected payOrder outcome (a new example needs one here)', () => {
      const keys = documentedAnswers(mock.documented, Object.keys(STEP_OF_OPERATION)).map((a) => a.key);
      expect(keys.sort()).toEqual(Object.keys(PAY_ORDER_EXPECTATIONS).sort());
    });

    it.each(Object.entries(PAY_ORDER_EXPECTATIONS))('when %s, then payOrder resolves %j', async (key, expected) => {
      const [operationId, status, example] = key.split(' ') as [string, string, string];
      const { client } = clientFor({ extraHeaders: preferring(STEP_OF_OPERATION[operationId] as Step, `code=${status}, example=${example}`) });
      expect(await client.payOrder(ORDER_ID, ONE_POLL)).toMatchObject(expected);
    });
  });

  describe('given every documented answer of POST /orders', () => {
    it('each one has an expected createOrder result', () => {
      const keys = documentedAnswers(mock.documented, ['createOrder']).map((a) => a.key);
      expect(keys.sort()).toEqual(Object.keys(CREATE_ORDER_EXPECTATIONS).sort());
    });

    it.each(Object.entries(CREATE_ORDER_EXPECTATIONS))('when %s, then createOrder %s', async (key, expected) => {
      const [, status, example] = key.split(' ');
      const prefer = (path: string) => (path === '/orders' ? `code=${status}, example=${example}` : 'example=token');
      const { client } = clientFor({ extraHeaders: ({ path }) => ({ Prefer: prefer(path) }) });
      const created = client.createOrder({ amount: 8800, description: 'G7311 seat 05A' });
      if (expected === 'resolves') await expect(created).resolves.toMatchObject({ status: 'pending', amount: 8800 });
      else await expect(created).rejects.toMatchObject({ name: 'PaymentApiError', code: expected, httpStatus: Number(status) });
    });
  });

  describe('given the payment sheet', () => {
    it('receives the documented session parameters exactly', async () => {
      const { wx, client } = clientFor({ extraHeaders: preferring('status', 'example=paid') });
      await client.payOrder(ORDER_ID, ONE_POLL);
      const created = (
        ((resolveRef(mock.documented, (mock.documented.paths as JsonObject)['/payments/session']) as JsonObject).post as JsonObject).responses as JsonObject
      )['200'] as JsonObject;
      const example = ((created.content as JsonObject)['application/json'] as JsonObject).examples as Record<string, { value: unknown }>;
      expect(wx.payments).toEqual([example.created?.value]);
    });

    it.each([
      ['cancel', { outcome: 'cancelled_by_user' }],
      ['fail', { outcome: 'failed', errMsg: 'requestPayment:fail 支付失败' }],
    ] as const)('when the user chooses %s, then payOrder resolves %j', async (paymentResult, expected) => {
      const { client } = clientFor({ paymentResult, extraHeaders: preferring('status', 'example=pending') });
      expect(await client.payOrder(ORDER_ID, ONE_POLL)).toEqual({ orderId: ORDER_ID, ...expected });
    });
  });

  describe('given a transient answer once, then success', () => {
    it.each([
      ['session', 'code=502, example=wechatUnavailable'],
      ['session', 'code=504, example=wechatTimeout'],
      ['session', 'code=409, example=inProgress'],
      ['session', 'code=429, example=tooManySessionRequests'],
    ] as const)('when the %s answers %s, then payOrder repeats the same request and resolves paid', async (step, prefer) => {
      const { wx, client } = clientFor({ extraHeaders: preferring(step, prefer, 1) });
      expect(await client.payOrder(ORDER_ID, ONE_POLL)).toEqual(outcome('paid'));
      const sessions = answersTo(wx, 'POST', /^\/payments\/session$/);
      expect(sessions.map((s) => s.answer?.statusCode)).toEqual([Number(/code=(\d+)/.exec(prefer)?.[1]), 200]);
      expect(sessions[1]?.data).toEqual(sessions[0]?.data);
    });

    it('when the first poll answers 429, then the next waits Retry-After (3 s) and resolves paid', async () => {
      const { wx, client } = clientFor({ extraHeaders: preferring('status', 'code=429, example=rateLimited', 1) });
      expect(await client.payOrder(ORDER_ID, { firstPollDelayMs: 0, timeoutMs: 10_000 })).toEqual(outcome('paid'));
      const [limited, next] = answersTo(wx, 'GET', /\/status$/);
      expect(limited?.answer?.header['retry-after']).toBe('3');
      expect((next?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(3000);
    });
  });

  describe('given the mock timestamps', () => {
    it("puts a new order's lock_expire_at in the future, as the server does", async () => {
      const { client } = clientFor({ extraHeaders: ({ path }) => ({ Prefer: path === '/orders' ? 'example=created' : 'example=token' }) });
      const order = await client.createOrder({ amount: 8800, description: 'G7311 seat 05A' });
      expect(new Date(order.lock_expire_at).getTime()).toBeGreaterThan(Date.now());
    });

    it('gives the session a timeStamp of the mock start, in Unix seconds', async () => {
      const { wx, client } = clientFor({ extraHeaders: preferring('status', 'example=paid') });
      await client.payOrder(ORDER_ID, ONE_POLL);
      const timeStamp = Number((wx.payments[0] as { timeStamp: string }).timeStamp);
      expect(Math.abs(timeStamp - Date.now() / 1000)).toBeLessThan(600);
    });
  });
});
