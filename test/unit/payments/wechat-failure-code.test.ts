import { wechatFailureCode } from '../../../src/payments/wechat-failure';
import { WechatPayApiError, WechatPayTimeoutError } from '../../../src/wechatpay-sdk';

const apiError = (status: number, code: string | undefined) => new WechatPayApiError('jsapi_prepay', status, code, 'refused', 'req-1');

/** The `code` label of payments_session_wechat_error_total: WeChat's own spelling, from a bounded set. */
describe('the metric label of a WeChat Pay failure', () => {
  describe('given a code WeChat documents', () => {
    it.each([
      [401, 'SIGN_ERROR'],
      [500, 'SYSTEM_ERROR'],
      [429, 'FREQUENCY_LIMITED'],
      [400, 'PARAM_ERROR'],
      [403, 'ORDERPAID'],
      [500, 'SYSTEMERROR'],
    ])('keeps %i %s verbatim', (status, code) => {
      expect(wechatFailureCode(apiError(status, code))).toBe(code);
    });
  });

  describe('given a code outside the known set', () => {
    it('reads OTHER, so a stray code cannot grow the label set', () => {
      expect(wechatFailureCode(apiError(400, 'SOMETHING_NEW_1234'))).toBe('OTHER');
      expect(wechatFailureCode(apiError(400, 'sign_error'))).toBe('OTHER');
    });
  });

  describe('given an answer without a code', () => {
    it('reads OTHER', () => {
      expect(wechatFailureCode(apiError(502, undefined))).toBe('OTHER');
    });
  });

  describe('given a failure of our side of the call', () => {
    it('keeps its own label', () => {
      expect(wechatFailureCode(new WechatPayTimeoutError('jsapi_prepay', 1500))).toBe('TIMEOUT');
    });
  });
});
