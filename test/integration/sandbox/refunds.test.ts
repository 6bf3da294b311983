import { randomBytes } from 'node:crypto';
import { createVerificationKeys, parseWechatPayRefundNotification } from '../../../src/wechatpay-sdk';
import { startNotificationReceiver, type NotificationReceiver } from './helpers/notification-receiver';
import { prepayBody, startTestSandbox, type TestSandbox } from './helpers/test-sandbox';

const REFUNDS = '/v3/refund/domestic/refunds';
let t: TestSandbox;
let receiver: NotificationReceiver;

beforeAll(async () => {
  receiver = await startNotificationReceiver([204]);
  t = await startTestSandbox({ refundProcessingMs: 60_000 });
});
afterAll(async () => {
  await t.sandbox.close();
  await receiver.close();
});

const refundBody = (outTradeNo: string, refund: number, total = 5530, extra: Record<string, unknown> = {}) => ({
  out_trade_no: outTradeNo,
  out_refund_no: `R${randomBytes(8).toString('hex')}`,
  notify_url: receiver.url.replace('/payments/', '/refunds/'),
  amount: { refund, total, currency: 'CNY' },
  ...extra,
});

/** A transaction the payer paid (prepay, then wx.requestPayment); returns its out_trade_no. */
async function paid(total = 5530, sandbox: TestSandbox = t): Promise<string> {
  const body = prepayBody(sandbox.credentials, { amount: { total, currency: 'CNY' } });
  const prepay = await sandbox.call({ method: 'POST', path: '/v3/pay/transactions/jsapi', body });
  await sandbox.requestPayment(prepay.json<{ prepay_id: string }>().prepay_id);
  return body.out_trade_no as string;
}

const refund = (body: Record<string, unknown> | string) => t.call({ method: 'POST', path: REFUNDS, body });

describe('sandbox POST /v3/refund/domestic/refunds', () => {
  describe('given a paid transaction', () => {
    it('accepts the refund as PROCESSING, signed', async () => {
      const outTradeNo = await paid();
      const answer = await refund(refundBody(outTradeNo, 1000));
      expect(answer.status).toBe(200);
      expect(answer.headers.get('wechatpay-signature')).toBeTruthy();
      expect(answer.json()).toMatchObject({
        out_trade_no: outTradeNo,
        status: 'PROCESSING',
        amount: { refund: 1000, total: 5530 },
        refund_id: expect.stringMatching(/^50\d{27}$/),
      });
    });
  });

  describe('given an unpaid transaction', () => {
    it('answers 400 INVALID_REQUEST', async () => {
      const unpaid = prepayBody(t.credentials);
      await t.call({ method: 'POST', path: '/v3/pay/transactions/jsapi', body: unpaid });
      const answer = await refund(refundBody(unpaid.out_trade_no as string, 100));
      expect(answer.status).toBe(400);
      expect(answer.json()).toMatchObject({ code: 'INVALID_REQUEST' });
    });
  });

  describe('given an unknown out_trade_no', () => {
    it('answers 404 RESOURCE_NOT_EXISTS', async () => {
      const answer = await refund(refundBody('T000000unknown', 100));
      expect(answer.status).toBe(404);
      expect(answer.json()).toMatchObject({ code: 'RESOURCE_NOT_EXISTS' });
    });
  });

  describe('given refunds that would sum over the total', () => {
    it('refuses the one that goes over with INVALID_REQUEST', async () => {
      const outTradeNo = await paid(3000);
      expect((await refund(refundBody(outTradeNo, 2000, 3000))).status).toBe(200);
      const over = await refund(refundBody(outTradeNo, 1001, 3000));
      expect(over.status).toBe(400);
      expect(over.json()).toMatchObject({ code: 'INVALID_REQUEST', detail: { issue: 'at most 1000 fen can still be refunded' } });
    });
  });

  describe('given a total other than the transaction total', () => {
    it('answers 400 INVALID_REQUEST', async () => {
      const outTradeNo = await paid(3000);
      expect((await refund(refundBody(outTradeNo, 100, 2999))).status).toBe(400);
    });
  });

  describe('given the same out_refund_no with the same body', () => {
    it('is re-entrant: the same refund again', async () => {
      const outTradeNo = await paid();
      const body = JSON.stringify(refundBody(outTradeNo, 500));
      const first = (await refund(body)).json<{ refund_id: string }>();
      const again = await refund(body);
      expect(again.status).toBe(200);
      expect(again.json<{ refund_id: string }>().refund_id).toBe(first.refund_id);
    });
  });

  describe('given the same out_refund_no with another body', () => {
    it('answers 400 INVALID_REQUEST', async () => {
      const outTradeNo = await paid();
      const body = refundBody(outTradeNo, 500);
      await refund(body);
      const other = await refund({ ...body, amount: { refund: 501, total: 5530, currency: 'CNY' } });
      expect(other.status).toBe(400);
      expect(other.json<{ message: string }>().message).toBe('请求重入时，参数与首次请求时不一致');
    });
  });

  describe('given a reason over 80 bytes', () => {
    it('answers 400 PARAM_ERROR', async () => {
      const outTradeNo = await paid();
      const answer = await refund(refundBody(outTradeNo, 100, 5530, { reason: '退'.repeat(27) }));
      expect(answer.status).toBe(400);
      expect(answer.json()).toMatchObject({ code: 'PARAM_ERROR' });
    });
  });
});

describe('sandbox GET /v3/refund/domestic/refunds/{out_refund_no}', () => {
  describe('given an unknown out_refund_no', () => {
    it('answers 404 RESOURCE_NOT_EXISTS', async () => {
      const answer = await t.call({ method: 'GET', path: `${REFUNDS}/nope` });
      expect(answer.status).toBe(404);
    });
  });

  describe('given a settled refund', () => {
    it('answers SUCCESS with success_time, and the transaction reads REFUND', async () => {
      const outTradeNo = await paid();
      const body = refundBody(outTradeNo, 500);
      await refund(body);
      await t.control('POST', `/sandbox/refunds/${body.out_refund_no}/result`, { status: 'SUCCESS' });
      const answer = await t.call({ method: 'GET', path: `${REFUNDS}/${body.out_refund_no}` });
      expect(answer.json()).toMatchObject({ status: 'SUCCESS', success_time: expect.any(String) });
      const query = await t.call({ method: 'GET', path: `/v3/pay/transactions/out-trade-no/${outTradeNo}?mchid=${t.credentials.mchId}` });
      expect(query.json()).toMatchObject({ trade_state: 'REFUND' });
    });
  });
});

describe('sandbox refund notifications', () => {
  describe('given a refund settled by force', () => {
    it("sends a signed REFUND.SUCCESS the SDK verifies and decrypts, retried on WeChat's schedule after a 500", async () => {
      const failingOnce = await startNotificationReceiver([500, 204]);
      const outTradeNo = await paid();
      const body = { ...refundBody(outTradeNo, 700), notify_url: failingOnce.url };
      await refund(body);
      await t.control('POST', `/sandbox/refunds/${body.out_refund_no}/result`, { status: 'SUCCESS' });
      const received = await failingOnce.waitFor(2).finally(() => failingOnce.close());
      expect(received[0]?.rawBody).toBe(received[1]?.rawBody);
      // WeChat's first retry comes 15 s after a failed delivery; at 1/1000 that is 15 ms.
      const keys = createVerificationKeys({
        platformCertificates: [],
        wechatPayPublicKey: { id: t.credentials.wechatPayPublicKey.id, pem: t.credentials.wechatPayPublicKey.publicKeyPem },
      });
      const parsed = parseWechatPayRefundNotification({
        keys,
        apiV3Key: t.credentials.apiV3Key,
        headers: received[1]?.headers as Record<string, string>,
        rawBody: received[1]?.rawBody as string,
        now: new Date(),
      });
      expect(parsed).toMatchObject({
        ok: true,
        envelope: { event_type: 'REFUND.SUCCESS', resource: { original_type: 'refund', associated_data: 'refund' } },
        refund: { out_refund_no: body.out_refund_no, refund_status: 'SUCCESS' },
      });
    });
  });

  describe('given an ABNORMAL outcome armed', () => {
    it('settles the next refund ABNORMAL after its processing time', async () => {
      const quick = await startTestSandbox({ refundProcessingMs: 10 });
      try {
        const outTradeNo = await paid(5530, quick);
        await quick.control('POST', '/sandbox/refund-outcomes', { status: 'ABNORMAL', count: 1 });
        const body = refundBody(outTradeNo, 100);
        expect((await quick.call({ method: 'POST', path: REFUNDS, body })).json()).toMatchObject({ status: 'PROCESSING' });
        const deadline = Date.now() + 3000;
        let status = 'PROCESSING';
        while (status === 'PROCESSING' && Date.now() < deadline) {
          status = (await quick.control<{ refund: { status: string } }>('GET', `/sandbox/refunds/${body.out_refund_no}`)).body.refund.status;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        expect(status).toBe('ABNORMAL');
      } finally {
        await quick.sandbox.close();
      }
    });
  });

  describe('given a forced outcome on a refund already SUCCESS', () => {
    it('answers 409', async () => {
      const outTradeNo = await paid();
      const body = refundBody(outTradeNo, 100);
      await refund(body);
      await t.control('POST', `/sandbox/refunds/${body.out_refund_no}/result`, { status: 'SUCCESS' });
      expect((await t.control('POST', `/sandbox/refunds/${body.out_refund_no}/result`, { status: 'CLOSED' })).status).toBe(409);
    });
  });
});
