import { Writable } from 'node:stream';
import { createLogger } from '../../src/observability/logger';
import { call } from './helpers/http-client';
import { startTestStack, type TestStack } from './helpers/test-stack';
import { createPendingOrder, injectFault, loginAs, requestSession, type LoggedInTraveler } from './helpers/travelers';

const JSAPI = '/v3/pay/transactions/jsapi';

/** Observability: WeChat's code, the failure and signature anomalies are logged; secrets never are. */
describe('logs of payment sessions', () => {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  let stack: TestStack;
  let traveler: LoggedInTraveler;
  beforeAll(async () => {
    const destination = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) {
          raw.push(line);
          lines.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
    stack = await startTestStack({ logger: createLogger('info', destination) });
    traveler = await loginAs(stack, 'logged');
  });
  afterAll(() => stack.stop());
  afterEach(() => call(stack.sandbox.url, 'DELETE', '/sandbox/faults'));

  const failureLines = () => lines.filter((line) => line.msg === 'WeChat Pay prepay failed');

  describe('given WeChat answers an error', () => {
    it('logs one line with its code, message and Request-ID, with the openid masked', async () => {
      const order = await createPendingOrder(stack, traveler);
      await injectFault(stack, { path: JSAPI, status: 500, code: 'SYSTEM_ERROR', count: 3 });
      expect((await requestSession(stack, traveler, order.order_id)).status).toBe(502);
      const calls = (await call<{ calls: { path: string; requestId?: string }[] }>(stack.sandbox.url, 'GET', '/sandbox/calls')).body.calls;
      const lastRequestId = calls.filter((c) => c.path === JSAPI).at(-1)?.requestId;
      const [line] = failureLines().filter((l) => l.orderId === order.order_id);
      expect(line).toMatchObject({ wechatCode: 'SYSTEM_ERROR', wechatStatus: 500, wechatRequestId: lastRequestId, operation: expect.any(String) });
      expect(String(line?.wechatMessage)).not.toHaveLength(0);
      expect(line?.openid).toBe(`${traveler.openid.slice(0, 4)}…${traveler.openid.slice(-4)}`);
    });
  });

  describe('given WeChat answers an error on a session request', () => {
    it("logs the failure once at error level, with WeChat's code, message and Request-ID and our request id", async () => {
      const order = await createPendingOrder(stack, traveler);
      await injectFault(stack, { path: JSAPI, status: 401, code: 'SIGN_ERROR', count: 1 });
      const answer = await requestSession(stack, traveler, order.order_id);
      expect(answer.status).toBe(502);
      const requestId = answer.headers.get('x-request-id');
      const calls = (await call<{ calls: { path: string; requestId?: string }[] }>(stack.sandbox.url, 'GET', '/sandbox/calls')).body.calls;
      const wechatRequestId = calls.filter((c) => c.path === JSAPI).at(-1)?.requestId;
      const errorLines = lines.filter((line) => (line.level as number) >= 50 && (line.req as { id?: string } | undefined)?.id === requestId);
      expect(errorLines).toHaveLength(1);
      expect(errorLines[0]).toMatchObject({ wechatCode: 'SIGN_ERROR', wechatRequestId, wechatMessage: expect.any(String) });
      expect(errorLines[0]?.wechatRequestId).toEqual(expect.any(String));
    });
  });

  describe('given a response with a bad signature', () => {
    it('logs the anomaly as such', async () => {
      const order = await createPendingOrder(stack, traveler);
      await injectFault(stack, { path: JSAPI, badSignature: true, count: 1 });
      expect((await requestSession(stack, traveler, order.order_id)).status).toBe(502);
      expect(failureLines().find((l) => l.orderId === order.order_id)).toMatchObject({ wechatCode: 'SIGNATURE_BAD_SIGNATURE' });
    });
  });

  describe('given sessions created and failed', () => {
    it('no line holds the paySign, a full openid, the APIv3 key, a private key or a token', async () => {
      const order = await createPendingOrder(stack, traveler);
      const session = await requestSession(stack, traveler, order.order_id);
      expect(session.status).toBe(200);
      const everything = raw.join('\n');
      const { credentials } = stack.sandbox;
      expect(everything).not.toContain(session.body.paySign);
      expect(everything).not.toContain(traveler.openid);
      expect(everything).not.toContain(credentials.apiV3Key);
      expect(everything).not.toContain(credentials.merchant.privateKeyPem.split('\n')[1]);
      expect(everything).not.toContain(traveler.token);
      expect(everything).not.toContain('PRIVATE KEY');
    });
  });
});
