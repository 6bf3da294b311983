import { decryptAes256Gcm } from '../../../src/wechatpay-sdk/core/cipher/aes-gcm';
import { SIGNATURE_PROBE_PREFIX } from '../../../src/wechatpay-sdk/core/auth/signature';
import { startNotificationReceiver, type NotificationReceiver } from './helpers/notification-receiver';
import { payParameters, startTestSandbox, uniqueOutTradeNo, type TestSandbox } from './helpers/test-sandbox';
import { verifySandboxSignature, wechatPayKeys } from './helpers/verify-sandbox-signature';

interface Envelope {
  id: string;
  event_type: string;
  resource: { algorithm: string; ciphertext: string; associated_data: string; nonce: string; original_type: string };
  [field: string]: unknown;
}

interface NotificationsList {
  notifications: { id: string; state: string; probe: boolean; attempts: { kind: string; status: number | null }[] }[];
}

describe('sandbox WeChat Pay: wx.requestPayment and TRANSACTION.SUCCESS notifications', () => {
  let wechat: TestSandbox;
  const receivers: NotificationReceiver[] = [];
  const receiver = async (statuses?: number[]) => {
    const started = await startNotificationReceiver(statuses);
    receivers.push(started);
    return started;
  };

  beforeAll(async () => {
    wechat = await startTestSandbox({ signingMode: 'alternate', notificationSchedule: [15_000, 15_000, 30_000], timeScale: 0.001 });
  });
  afterAll(async () => {
    await wechat.sandbox.close();
    await Promise.all(receivers.map((started) => started.close()));
  });

  const order = async (notifyUrl: string) => {
    const outTradeNo = uniqueOutTradeNo();
    const prepayId = (await wechat.prepay({ out_trade_no: outTradeNo, notify_url: notifyUrl })).json().prepay_id as string;
    return { outTradeNo, prepayId };
  };
  const tradeState = async (outTradeNo: string) =>
    (await wechat.call({ method: 'GET', path: `/v3/pay/transactions/out-trade-no/${outTradeNo}?mchid=${wechat.credentials.mchId}` })).json().trade_state;
  const notificationsOf = async (id: string) =>
    (await wechat.control<NotificationsList>('GET', '/sandbox/notifications')).body.notifications.find((entry) => entry.id === id);

  describe('given a tampered paySign', () => {
    it('answers 400 requestPayment:fail and the order stays NOTPAY', async () => {
      const { outTradeNo, prepayId } = await order('http://127.0.0.1:9/notify');
      const parameters = { ...payParameters(wechat.credentials, prepayId), nonceStr: 'tampered-after-signing' };
      const answer = await wechat.control<{ errMsg: string }>('POST', '/sandbox/request-payment', parameters);
      expect(answer).toEqual({ status: 400, body: { errMsg: 'requestPayment:fail 支付验证签名失败' } });
      expect(await tradeState(outTradeNo)).toBe('NOTPAY');
    });
  });

  describe('given timeStamp as a number', () => {
    it('answers the wx.requestPayment parameter error', async () => {
      const { prepayId } = await order('http://127.0.0.1:9/notify');
      const parameters = payParameters(wechat.credentials, prepayId);
      const answer = await wechat.control<{ errMsg: string }>('POST', '/sandbox/request-payment', { ...parameters, timeStamp: Number(parameters.timeStamp) });
      expect(answer.body.errMsg).toBe('requestPayment:fail parameter error: parameter.timeStamp should be String instead of Number;');
    });
  });

  describe('given the user cancels', () => {
    it('answers 400 "requestPayment:fail cancel", NOTPAY, no notification; paying later with the same prepay_id works', async () => {
      const target = await receiver();
      const { outTradeNo, prepayId } = await order(target.url);
      expect(await wechat.requestPayment(prepayId, { result: 'cancel' })).toEqual({ status: 400, body: { errMsg: 'requestPayment:fail cancel' } });
      expect(await tradeState(outTradeNo)).toBe('NOTPAY');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(target.received).toHaveLength(0);
      expect((await wechat.requestPayment(prepayId)).status).toBe(200);
      await target.waitFor(1);
    });
  });

  describe('given a payment', () => {
    it('delivers a signed notification whose resource decrypts to the transaction the query returns', async () => {
      const target = await receiver();
      const { outTradeNo, prepayId } = await order(target.url);
      expect(await wechat.requestPayment(prepayId)).toEqual({ status: 200, body: { errMsg: 'requestPayment:ok' } });
      const [delivery] = await target.waitFor(1);
      expect(verifySandboxSignature(delivery!.headers, delivery!.rawBody, wechatPayKeys(wechat.credentials))).toBeUndefined();
      const envelope = JSON.parse(delivery!.rawBody) as Envelope;
      expect(envelope).toMatchObject({
        event_type: 'TRANSACTION.SUCCESS',
        resource_type: 'encrypt-resource',
        summary: '支付成功',
        create_time: expect.stringMatching(/\+08:00$/),
      });
      expect(envelope.resource).toMatchObject({
        original_type: 'transaction',
        algorithm: 'AEAD_AES_256_GCM',
        associated_data: 'transaction',
        nonce: expect.stringMatching(/^[A-Za-z0-9]{12}$/),
      });
      const { resource } = envelope;
      const transaction = JSON.parse(decryptAes256Gcm(wechat.credentials.apiV3Key, resource.nonce, resource.associated_data, resource.ciphertext));
      const queried = (await wechat.call({ method: 'GET', path: `/v3/pay/transactions/out-trade-no/${outTradeNo}?mchid=${wechat.credentials.mchId}` })).json();
      expect(transaction).toEqual(queried);
      expect(transaction).toMatchObject({ trade_state: 'SUCCESS', out_trade_no: outTradeNo });
    });
  });

  describe('given a receiver answering 500, 500, then 204', () => {
    it('delivers the same id exactly 3 times, each freshly signed', async () => {
      const target = await receiver([500, 500, 204]);
      const { prepayId } = await order(target.url);
      await wechat.requestPayment(prepayId);
      const deliveries = await target.waitFor(3);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(target.received).toHaveLength(3);
      const ids = deliveries.map((delivery) => (JSON.parse(delivery.rawBody) as Envelope).id);
      expect(new Set(ids).size).toBe(1);
      expect(new Set(deliveries.map((delivery) => delivery.headers['wechatpay-nonce'])).size).toBe(3);
      for (const delivery of deliveries) expect(verifySandboxSignature(delivery.headers, delivery.rawBody, wechatPayKeys(wechat.credentials))).toBeUndefined();
      const record = await notificationsOf(ids[0]!);
      expect(record).toMatchObject({ state: 'delivered', attempts: [{ status: 500 }, { status: 500 }, { status: 204 }] });
    });
  });

  describe('given a receiver that never acknowledges', () => {
    it('stops delivery after the schedule (1 + 3 retries) and marks it abandoned', async () => {
      const target = await receiver([503]);
      const { prepayId } = await order(target.url);
      await wechat.requestPayment(prepayId);
      const [first] = await target.waitFor(4);
      const id = (JSON.parse(first!.rawBody) as Envelope).id;
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(target.received).toHaveLength(4);
      expect((await notificationsOf(id))?.state).toBe('abandoned');
    });
  });

  describe('given a delivered notification', () => {
    describe('when resent', () => {
      it('the receiver gets a duplicate with the same id and body', async () => {
        const target = await receiver();
        const { prepayId } = await order(target.url);
        await wechat.requestPayment(prepayId);
        const [original] = await target.waitFor(1);
        const id = (JSON.parse(original!.rawBody) as Envelope).id;
        const resent = await wechat.control<{ attempt: { kind: string; status: number } }>('POST', '/sandbox/notifications/resend', { id });
        expect(resent.body.attempt).toMatchObject({ kind: 'resend', status: 204 });
        const [, duplicate] = await target.waitFor(2);
        expect(duplicate!.rawBody).toBe(original!.rawBody);
      });
    });
  });

  describe('given a signature probe', () => {
    it('the receiver sees WECHATPAY/SIGNTEST/ and the answer tells whether it refused', async () => {
      const careless = await receiver([200]);
      const careful = await receiver([401]);
      const first = await order(careless.url);
      const second = await order(careful.url);
      const probeCareless = await wechat.control<{ refused: boolean }>('POST', '/sandbox/probe-notification', { out_trade_no: first.outTradeNo });
      const probeCareful = await wechat.control<{ refused: boolean }>('POST', '/sandbox/probe-notification', { out_trade_no: second.outTradeNo });
      expect(probeCareless.body.refused).toBe(false);
      expect(probeCareful.body.refused).toBe(true);
      expect(String(careful.received[0]?.headers['wechatpay-signature'])).toMatch(new RegExp(`^${SIGNATURE_PROBE_PREFIX}`));
    });
  });
});
