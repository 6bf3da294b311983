import { resolveRef, type JsonObject } from '../../../scripts/contract/contract-document';
import { call } from '../helpers/http-client';
import { startTestStack, type TestStack } from '../helpers/test-stack';
import { loginAs } from '../helpers/travelers';
import { startPrismMock, type RunningMock } from './prism-mock';

/** Requests the mock decides by itself (no Prefer): it must answer what the server answers. */
describe('the Prism mock answers like the server', () => {
  let stack: TestStack;
  let mock: RunningMock;
  let token: string;
  beforeAll(async () => {
    [stack, mock] = await Promise.all([startTestStack(), startPrismMock()]);
    token = (await loginAs(stack)).token;
  });
  afterAll(async () => {
    await Promise.all([stack?.stop(), mock?.stop()]);
  });

  async function both(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; auth?: boolean }) {
    const send = (baseUrl: string) =>
      call(baseUrl, method, path, { body: options.body, headers: options.headers, token: options.auth === false ? undefined : token });
    const [server, mocked] = await Promise.all([send(stack.api.url), send(mock.url)]);
    return { server: { status: server.status, code: server.body?.code }, mock: { status: mocked.status, code: mocked.body?.code } };
  }

  describe('given POST /orders without an Idempotency-Key', () => {
    it('both answer 400 VALIDATION_FAILED', async () => {
      const { server, mock: mocked } = await both('POST', '/orders', { body: { amount: 8800, description: 'G7311 seat 05A' } });
      expect(server).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(mocked).toEqual(server);
    });
  });

  /** A documented example of components.responses[response], without the request id every answer has its own of. */
  function documented(response: string, example: string): JsonObject {
    const media = (resolveRef(mock.documented, { $ref: `#/components/responses/${response}` }).content as Record<string, JsonObject>)[
      'application/problem+json'
    ];
    const { request_id: _id, ...value } = ((media?.examples as Record<string, { value: JsonObject }>)[example]?.value ?? {}) as JsonObject;
    return value;
  }

  describe.each([
    ['without an Idempotency-Key', 'missingIdempotencyKey', { 'content-type': 'application/json' }, JSON.stringify({ amount: 8800, description: 'G7311' })],
    [
      'with a body that is not JSON',
      'invalidJson',
      { 'content-type': 'application/json', 'Idempotency-Key': '7c9e6679-7425-40de-944b-e07fc1f90ae7' },
      '{"amount": 88',
    ],
  ])('given POST /orders %s', (_label, example, headers, body) => {
    it(`the server answers the documented ${example} example`, async () => {
      const answer = await call(stack.api.url, 'POST', '/orders', { token, headers, body });
      const { request_id: _id, ...problem } = answer.body;
      expect(problem).toEqual(documented('OrderBadRequest', example));
    });
  });

  describe('given a session request without order_id', () => {
    it('both answer 400 VALIDATION_FAILED', async () => {
      const { server, mock: mocked } = await both('POST', '/payments/session', { body: {} });
      expect(server).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(mocked).toEqual(server);
    });
  });

  describe('given an order amount in yuan', () => {
    it('both answer 400 VALIDATION_FAILED', async () => {
      const { server, mock: mocked } = await both('POST', '/orders', {
        body: { amount: 88.5, description: 'G7311' },
        headers: { 'Idempotency-Key': '7c9e6679-7425-40de-944b-e07fc1f90ae7' },
      });
      expect(server).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(mocked).toEqual(server);
    });
  });

  describe('given no bearer token', () => {
    it('both answer 401 UNAUTHORIZED', async () => {
      const { server, mock: mocked } = await both('POST', '/payments/session', { body: { order_id: '3f2b8c1e-6a1d-4f7b-9c3e-2d5a8b7c6e10' }, auth: false });
      expect(server).toEqual({ status: 401, code: 'UNAUTHORIZED' });
      expect(mocked).toEqual(server);
    });
  });

  describe('given a pending order', () => {
    it('both put its lock_expire_at in the future', async () => {
      const headers = { 'Idempotency-Key': `sdk-${Date.now()}-parity` };
      const [server, mocked] = await Promise.all(
        [stack.api.url, mock.url].map((url) =>
          call<{ lock_expire_at: string }>(url, 'POST', '/orders', { token, headers, body: { amount: 8800, description: 'G7311 seat 05A' } }),
        ),
      );
      for (const answer of [server, mocked]) expect(new Date(answer?.body.lock_expire_at ?? 0).getTime()).toBeGreaterThan(Date.now());
    });
  });
});
