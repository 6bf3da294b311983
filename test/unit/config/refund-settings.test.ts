import { loadConfig, refundNotifyUrlOf } from '../../../src/config/env';
import { problemsOf } from './config-problems';

describe('refund and operator settings', () => {
  describe('given nothing', () => {
    it('leaves operator keys to the generated development key and keeps the automatic refund off', () => {
      expect(loadConfig({})).toMatchObject({ adminApiKeys: undefined, autoRefundPaidAfterCancel: false, sandboxRefundProcessingMs: 5000 });
    });
  });

  describe('given ADMIN_API_KEYS with two keys', () => {
    it('reads both, trimmed', () => {
      const keys = ['a'.repeat(32), 'b'.repeat(40)];
      expect(loadConfig({ ADMIN_API_KEYS: ` ${keys[0]} , ${keys[1]}` }).adminApiKeys).toEqual(keys);
    });
  });

  describe('given a key shorter than 32 characters', () => {
    it('names ADMIN_API_KEYS without echoing any key', () => {
      const problems = problemsOf({ ADMIN_API_KEYS: `${'a'.repeat(32)},too-short-key` });
      expect(problems).toEqual([expect.stringMatching(/^ADMIN_API_KEYS .*\(1 key\(s\) do not qualify\)/)]);
      expect(problems.join()).not.toContain('too-short-key');
    });
  });

  describe('given production without ADMIN_API_KEYS', () => {
    it('configures no operator key: the operator API stays closed', () => {
      const problems = problemsOf({ NODE_ENV: 'production' });
      expect(problems.some((p) => p.startsWith('ADMIN_API_KEYS'))).toBe(false);
    });
  });

  describe('given AUTO_REFUND_PAID_AFTER_CANCEL=yes', () => {
    it('names the variable', () => {
      expect(problemsOf({ AUTO_REFUND_PAID_AFTER_CANCEL: 'yes' })).toEqual([expect.stringMatching(/^AUTO_REFUND_PAID_AFTER_CANCEL/)]);
    });
  });

  describe('the refund notify_url', () => {
    it('is the payment notify URL turned to /refunds/wechat/notify', () => {
      expect(refundNotifyUrlOf({ notifyUrl: 'https://pay.example.com/api/payments/wechat/notify' })).toBe('https://pay.example.com/api/refunds/wechat/notify');
    });

    it('is WECHATPAY_REFUND_NOTIFY_URL when set', () => {
      expect(refundNotifyUrlOf({ notifyUrl: 'https://a/x', refundNotifyUrl: 'https://b/refunds' })).toBe('https://b/refunds');
    });
  });
});
