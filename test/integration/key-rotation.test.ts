import { createSandboxCredentials, withRotatedKeys } from '../../sandbox';
import type { WechatPaySettings } from '../../src/config/env';
import { startTestStack, type TestStack, type TestStackOptions } from './helpers/test-stack';
import { createPendingOrder, loginAs, payInSandbox, requestSession, waitForStatus } from './helpers/travelers';

/** Key rotations without downtime: old and new keys configured side by side, chosen by serial. */
const credentials = withRotatedKeys(createSandboxCredentials());
const rotated = credentials.rotated as NonNullable<typeof credentials.rotated>;

const oldPublicKey = { id: credentials.wechatPayPublicKey.id, pem: credentials.wechatPayPublicKey.publicKeyPem };
const newPublicKey = { id: rotated.wechatPayPublicKey.id, pem: rotated.wechatPayPublicKey.publicKeyPem };
const oldPlatformCertificate = { serial: credentials.platformCertificate.serialNo, pem: credentials.platformCertificate.certificatePem };
const newPlatformCertificate = { serial: rotated.platformCertificate.serialNo, pem: rotated.platformCertificate.certificatePem };

function stackDuringRotation(options: TestStackOptions & { adjustSettings: (settings: WechatPaySettings) => WechatPaySettings }): Promise<TestStack> {
  return startTestStack({ credentials, signWithRotatedKeys: true, ...options });
}

/** Session (WeChat's signed prepay answer), payment, then WeChat's signed notification marks the order paid. */
async function payAnOrder(stack: TestStack): Promise<{ session: number; status: string }> {
  const traveler = await loginAs(stack);
  const order = await createPendingOrder(stack, traveler);
  const session = await requestSession(stack, traveler, order.order_id);
  if (session.status === 200) await payInSandbox(stack, session.body);
  return { session: session.status, status: await waitForStatus(stack, traveler, order.order_id, 'paid') };
}

describe('rotating the WeChat Pay public key', () => {
  describe('given WeChat Pay signs with its new key and the API has the new and the old key', () => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await stackDuringRotation({ adjustSettings: (settings) => ({ ...settings, wechatPayPublicKeys: [newPublicKey, oldPublicKey] }) });
    });
    afterAll(() => stack.stop());

    it('verifies the prepay answer and the notification: the order is paid', async () => {
      expect(await payAnOrder(stack)).toEqual({ session: 200, status: 'paid' });
    });
  });

  describe('given WeChat Pay still signs with its old key and the API has the new and the old key', () => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await stackDuringRotation({
        signWithRotatedKeys: false,
        adjustSettings: (settings) => ({ ...settings, wechatPayPublicKeys: [newPublicKey, oldPublicKey] }),
      });
    });
    afterAll(() => stack.stop());

    it('verifies the prepay answer and the notification: the order is paid', async () => {
      expect(await payAnOrder(stack)).toEqual({ session: 200, status: 'paid' });
    });
  });

  describe('given WeChat Pay signs with its new key and the API has only the old key', () => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await stackDuringRotation({ adjustSettings: (settings) => ({ ...settings, wechatPayPublicKeys: [oldPublicKey] }) });
    });
    afterAll(() => stack.stop());

    it('refuses the unverifiable prepay answer with 502 WECHAT_UNAVAILABLE', async () => {
      const traveler = await loginAs(stack);
      const answer = await requestSession(stack, traveler, (await createPendingOrder(stack, traveler)).order_id);
      expect(answer.status).toBe(502);
      expect(answer.body.code).toBe('WECHAT_UNAVAILABLE');
    });
  });
});

describe('rotating the platform certificate', () => {
  describe('given WeChat Pay signs with its new certificate and the API has the old and the new one', () => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await stackDuringRotation({
        keyMode: 'platform-certificate',
        signingMode: 'platform-certificate',
        adjustSettings: (settings) => ({ ...settings, platformCertificates: [oldPlatformCertificate, newPlatformCertificate] }),
      });
    });
    afterAll(() => stack.stop());

    it('verifies the prepay answer and the notification: the order is paid', async () => {
      expect(await payAnOrder(stack)).toEqual({ session: 200, status: 'paid' });
    });
  });
});

describe('changing the merchant certificate', () => {
  describe('given WeChat Pay accepts both certificates and the API signs with the new one, the old one on standby', () => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await stackDuringRotation({
        signWithRotatedKeys: false,
        adjustSettings: (settings) => ({
          ...settings,
          merchantSerialNo: rotated.merchant.serialNo,
          merchantCertificatePem: rotated.merchant.certificatePem,
          merchantPrivateKeyPem: rotated.merchant.privateKeyPem,
          standbyMerchantCertificates: [credentials.merchant],
        }),
      });
    });
    afterAll(() => stack.stop());

    it('creates sessions, and the order is paid', async () => {
      expect(await payAnOrder(stack)).toEqual({ session: 200, status: 'paid' });
    });
  });

  describe('given WeChat Pay knows only the old certificate and the API signs with the new one', () => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await startTestStack({
        credentials: { ...credentials, rotated: undefined },
        adjustSettings: (settings) => ({
          ...settings,
          merchantSerialNo: rotated.merchant.serialNo,
          merchantCertificatePem: rotated.merchant.certificatePem,
          merchantPrivateKeyPem: rotated.merchant.privateKeyPem,
          standbyMerchantCertificates: [credentials.merchant],
        }),
      });
    });
    afterAll(() => stack.stop());

    it('signs with the new one, which WeChat Pay refuses (SIGN_ERROR): 502 WECHAT_UNAVAILABLE', async () => {
      const traveler = await loginAs(stack);
      const answer = await requestSession(stack, traveler, (await createPendingOrder(stack, traveler)).order_id);
      expect(answer.status).toBe(502);
    });
  });
});
