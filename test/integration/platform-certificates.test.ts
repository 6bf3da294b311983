import { Writable } from 'node:stream';
import { createSandboxCredentials, withRotatedKeys } from '../../sandbox';
import { createLogger } from '../../src/observability/logger';
import { eventually } from './helpers/eventually';
import { call } from './helpers/http-client';
import { metricIncrease, metricValue } from './helpers/metrics';
import { startTestStack, type TestStack, type TestStackOptions } from './helpers/test-stack';
import { createPendingOrder, injectFault, loginAs, payInSandbox, requestSession, sandboxCalls, waitForStatus } from './helpers/travelers';

const CERTIFICATES = '/v3/certificates';
const DOWNLOADS = 'wechatpay_platform_certificate_downloads_total';
const EXPIRY = 'wechatpay_platform_certificate_expiry_seconds';

/** Platform-certificate mode: the API is configured with the merchant's first platform certificate only. */
function platformCertificateStack(options: TestStackOptions = {}): Promise<TestStack> {
  return startTestStack({ keyMode: 'platform-certificate', signingMode: 'platform-certificate', ...options });
}

/** Session (WeChat's signed prepay answer), payment, then WeChat's signed notification marks the order paid. */
async function payAnOrder(stack: TestStack): Promise<{ session: number; status: string }> {
  const traveler = await loginAs(stack);
  const order = await createPendingOrder(stack, traveler);
  const session = await requestSession(stack, traveler, order.order_id);
  if (session.status === 200) await payInSandbox(stack, session.body);
  return { session: session.status, status: session.status === 200 ? await waitForStatus(stack, traveler, order.order_id, 'paid') : 'not paid' };
}

async function rotatePlatformCertificate(stack: TestStack, body: Record<string, unknown> = {}): Promise<string> {
  const answer = await call<{ serialNo: string }>(stack.sandbox.url, 'POST', '/sandbox/rotate-platform-certificate', { body });
  if (answer.status !== 201) throw new Error(`rotation refused: ${answer.text}`);
  return answer.body.serialNo;
}

const knownSerials = (stack: TestStack) => stack.api.certificates.known().map((certificate) => `${certificate.serialNo}:${certificate.source}`);

describe('platform certificate download', () => {
  describe('given WeChat Pay signs with a certificate issued after the API was configured', () => {
    const credentials = withRotatedKeys(createSandboxCredentials());
    const configured = credentials.platformCertificate.serialNo;
    const issued = credentials.rotated?.platformCertificate.serialNo as string;
    let stack: TestStack;
    beforeAll(async () => {
      stack = await platformCertificateStack({ credentials, signWithRotatedKeys: true });
    });
    afterAll(() => stack.stop());

    it('downloads it at start-up and verifies the prepay answer and the notification signed with it', async () => {
      expect(await payAnOrder(stack)).toEqual({ session: 200, status: 'paid' });
      expect(knownSerials(stack)).toEqual(expect.arrayContaining([`${configured}:configured`, `${issued}:downloaded`]));
      expect(await metricValue(stack, DOWNLOADS, { outcome: 'success' })).toBe(1);
    });

    it('reports seconds until each certificate expires (about five years)', async () => {
      const seconds = await metricValue(stack, EXPIRY, { serial: issued, source: 'downloaded' });
      expect(seconds).toBeGreaterThan(4 * 365 * 86400);
      expect(seconds).toBeLessThan(5 * 366 * 86400);
    });
  });

  describe('given WeChat Pay rotates its platform certificate while the API runs', () => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await platformCertificateStack();
    });
    afterAll(() => stack.stop());

    it('refuses answers signed with the new certificate until a download, then verifies answers and notifications with it', async () => {
      const issued = await rotatePlatformCertificate(stack);
      expect(await payAnOrder(stack)).toEqual({ session: 502, status: 'not paid' });

      expect(await stack.api.certificates.refresh()).toBe('refreshed');
      expect(knownSerials(stack)).toContain(`${issued}:downloaded`);
      expect(await payAnOrder(stack)).toEqual({ session: 200, status: 'paid' });
    });
  });

  describe('given a short refresh interval (WECHATPAY_CERTIFICATE_REFRESH_SECONDS)', () => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await platformCertificateStack({ env: { WECHATPAY_CERTIFICATE_REFRESH_SECONDS: '1' } });
    });
    afterAll(() => stack.stop());

    it('downloads a certificate WeChat Pay lists ahead of the switch without being asked', async () => {
      const issued = await rotatePlatformCertificate(stack, { sign: false });
      const known = await eventually(
        () => knownSerials(stack),
        (serials) => serials.includes(`${issued}:downloaded`),
      );
      expect(known).toContain(`${issued}:downloaded`);
    });
  });

  describe('given GET /v3/certificates fails', () => {
    const lines: Record<string, unknown>[] = [];
    let stack: TestStack;
    beforeAll(async () => {
      const destination = new Writable({
        write(chunk, _encoding, done) {
          for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
          done();
        },
      });
      stack = await platformCertificateStack({ logger: createLogger('info', destination) });
    });
    afterAll(() => stack.stop());
    afterEach(() => call(stack.sandbox.url, 'DELETE', '/sandbox/faults'));

    it('keeps the configured certificate, counts and logs the failure, and still verifies answers and notifications', async () => {
      await injectFault(stack, { path: CERTIFICATES, status: 500, count: 3 });
      const failures = await metricIncrease(stack, DOWNLOADS, { outcome: 'api_error' }, async () => {
        expect(await stack.api.certificates.refresh()).toBe('failed');
      });
      expect(failures).toBe(1);
      // one try and the SDK's two retries of a 500
      expect((await sandboxCalls(stack, CERTIFICATES)).slice(-3).map((c) => c.status)).toEqual([500, 500, 500]);
      expect(lines).toContainEqual(expect.objectContaining({ msg: expect.stringContaining('platform certificate download failed'), outcome: 'api_error' }));
      expect(knownSerials(stack)).toEqual([`${stack.sandbox.credentials.platformCertificate.serialNo}:configured`]);
      expect(await payAnOrder(stack)).toEqual({ session: 200, status: 'paid' });
    });

    it('takes nothing from an answer whose signature does not verify', async () => {
      const issued = await rotatePlatformCertificate(stack, { sign: false });
      await injectFault(stack, { path: CERTIFICATES, badSignature: true });
      const failures = await metricIncrease(stack, DOWNLOADS, { outcome: 'verification_failed' }, async () => {
        expect(await stack.api.certificates.refresh()).toBe('failed');
      });
      expect(failures).toBe(1);
      expect(knownSerials(stack)).not.toContain(`${issued}:downloaded`);
    });
  });

  describe('given a merchant in public-key mode only', () => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await startTestStack({ keyMode: 'public-key' });
    });
    afterAll(() => stack.stop());

    it('never asks for platform certificates (WeChat has none for it)', async () => {
      expect(await payAnOrder(stack)).toEqual({ session: 200, status: 'paid' });
      expect(await sandboxCalls(stack, CERTIFICATES)).toEqual([]);
    });
  });
});
