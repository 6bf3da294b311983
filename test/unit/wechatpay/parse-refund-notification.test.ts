import { encryptAes256Gcm } from '../../../src/wechatpay-sdk/core/cipher/aes-gcm';
import { createVerificationKeys } from '../../../src/wechatpay-sdk/core/auth/verifier';
import { parseWechatPayRefundNotification } from '../../../src/wechatpay-sdk/services/refund/parse-refund-notification';
import { API_V3_KEY, signAsWechatPay, testCredentials, testSettings } from './helpers/test-credentials';

const now = new Date('2025-06-01T08:00:00Z');
const credentials = testCredentials();
const keys = createVerificationKeys(testSettings('http://unused', 'combined'));

const notice = {
  mchid: '1900000001',
  out_trade_no: 'ORD20250601000001',
  transaction_id: '4200000000202506010000000001',
  out_refund_no: 'RF20250601000001',
  refund_id: '50000000382019052709732678859',
  refund_status: 'SUCCESS',
  success_time: '2025-06-01T16:05:00+08:00',
  user_received_account: '支付用户零钱',
  amount: { total: 8800, refund: 3000, payer_total: 8800, payer_refund: 3000 },
};

function refundEnvelope(options: { eventType?: string; originalType?: string; associatedData?: string; resource?: object } = {}): string {
  const nonce = 'fdasflkja484';
  const associatedData = options.associatedData ?? 'refund';
  return JSON.stringify({
    id: 'EV-2018022511223320874',
    create_time: '2025-06-01T16:05:01+08:00',
    resource_type: 'encrypt-resource',
    event_type: options.eventType ?? 'REFUND.SUCCESS',
    summary: '退款成功',
    resource: {
      original_type: options.originalType ?? 'refund',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: encryptAes256Gcm(API_V3_KEY, nonce, associatedData, JSON.stringify(options.resource ?? notice)),
      associated_data: associatedData,
      nonce,
    },
  });
}

const parse = (body: string, headers = signAsWechatPay(credentials.wechatPayKey, body, now)) =>
  parseWechatPayRefundNotification({ keys, apiV3Key: API_V3_KEY, headers, rawBody: body, now });

describe('parseWechatPayRefundNotification', () => {
  describe('given a signed REFUND.SUCCESS', () => {
    it('returns the envelope and the refund', () => {
      expect(parse(refundEnvelope())).toMatchObject({ ok: true, envelope: { event_type: 'REFUND.SUCCESS' }, refund: notice });
    });
  });

  describe('given a payment resource labelled as a refund', () => {
    it('refuses it as malformed', () => {
      expect(parse(refundEnvelope({ originalType: 'transaction', associatedData: 'transaction' }))).toMatchObject({ ok: false, reason: 'malformed' });
    });
  });

  describe('given an event type that is not a refund event', () => {
    it('refuses it as malformed', () => {
      expect(parse(refundEnvelope({ eventType: 'TRANSACTION.SUCCESS' }))).toMatchObject({ ok: false, reason: 'malformed' });
    });
  });

  describe('given REFUND.SUCCESS whose resource says ABNORMAL', () => {
    it('refuses it: the event and the status must agree', () => {
      expect(parse(refundEnvelope({ resource: { ...notice, refund_status: 'ABNORMAL' } }))).toMatchObject({ ok: false, reason: 'malformed' });
    });
  });

  describe('given a resource without out_refund_no', () => {
    it('refuses it as malformed', () => {
      const { out_refund_no: _omitted, ...incomplete } = notice;
      expect(parse(refundEnvelope({ resource: incomplete }))).toMatchObject({ ok: false, reason: 'malformed' });
    });
  });

  describe('given a probe signature', () => {
    it('refuses it under reason probe', () => {
      const body = refundEnvelope();
      const headers = signAsWechatPay(credentials.wechatPayKey, body, now, { 'Wechatpay-Signature': `WECHATPAY/SIGNTEST/${'A'.repeat(40)}` });
      expect(parse(body, headers)).toMatchObject({ ok: false, reason: 'probe' });
    });
  });
});
