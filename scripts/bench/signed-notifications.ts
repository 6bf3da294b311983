/**
 * Distinct TRANSACTION.SUCCESS notifications as WeChat Pay sends them: the transaction AES-256-GCM encrypted with
 * the APIv3 key, the exact body signed with WeChat Pay's key (the sandbox's), one per prepared order.
 */
import { buildSuccessNotification } from '../../sandbox/notifications/build-notification';
import { ResponseSigner } from '../../sandbox/pay-api/sign-sandbox-response';
import type { SandboxCredentials } from '../../sandbox';
import { formatBeijingTime } from '../../src/wechatpay-sdk';
import type { LoadTarget } from './load-runner';
import type { Traveler } from './seed-bench-data';

export function signedNotifications(credentials: SandboxCredentials, travelers: Traveler[], amount: number): LoadTarget[] {
  const now = new Date();
  const signer = new ResponseSigner(credentials, 'public-key', () => now);
  return travelers.map((traveler, i) => {
    const transaction = {
      appid: credentials.appId,
      mchid: credentials.mchId,
      out_trade_no: traveler.outTradeNo,
      transaction_id: `42000${String(i).padStart(23, '0')}`,
      trade_type: 'JSAPI',
      trade_state: 'SUCCESS',
      trade_state_desc: '支付成功',
      bank_type: 'OTHERS',
      success_time: formatBeijingTime(now),
      payer: { openid: traveler.openid },
      amount: { total: amount, payer_total: amount, currency: 'CNY', payer_currency: 'CNY' },
    };
    const { body } = buildSuccessNotification(transaction, credentials.apiV3Key, now);
    return { method: 'POST', path: '/payments/wechat/notify', headers: { 'content-type': 'application/json', ...signer.sign(body) }, body };
  });
}
