import { expectJson, folder, request, type PostmanFolder } from './postman-items';
import { createOrder, logIn } from './collection-sandbox-setup';
import { paymentSession, wechatUnavailable } from './collection-sandbox-session';
import { refunds } from './collection-sandbox-refunds';
import { paidOrder, statusPolling } from './collection-sandbox-status';

/**
 * The card's Postman coverage (§9) against the real API and the sandbox WeChat Pay: session created, repeated,
 * paid order, unknown order, status pending → paid; plus 400, 401, 429, 502, another traveler's order, a forged
 * notification; refunds through the operator API. Requests run in order and share state through collection variables.
 */

const notification = folder('WeChat Pay notification', 'Only WeChat Pay calls the webhook; anything unsigned is refused before it is read.', [
  request({
    name: 'Forged notification → 401 FAIL',
    method: 'POST',
    url: '{{baseUrl}}/payments/wechat/notify',
    headers: {
      'Wechatpay-Timestamp': '{{$timestamp}}',
      'Wechatpay-Nonce': '{{$guid}}',
      'Wechatpay-Signature': 'Zm9yZ2VkLXNpZ25hdHVyZQ==',
      'Wechatpay-Serial': 'PUB_KEY_ID_0114232024112200000000000000000001',
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    },
    body: {
      id: 'EV-2018022511223320873',
      create_time: '2015-05-20T13:29:35+08:00',
      resource_type: 'encrypt-resource',
      event_type: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      resource: { original_type: 'transaction', algorithm: 'AEAD_AES_256_GCM', ciphertext: 'Zm9yZ2Vk', associated_data: 'transaction', nonce: 'fdasflkja484' },
    },
    test: [expectJson(401, 'WechatPayAnswer'), `pm.test('answers FAIL, so WeChat Pay would retry', () => pm.expect(pm.response.json().code).to.eql('FAIL'));`],
  }),
]);

const operations = folder('Operations', 'Liveness and readiness, as a load balancer asks them.', [
  request({ name: 'Liveness → 200', method: 'GET', url: '{{baseUrl}}/healthz', test: [expectJson(200, 'Health')] }),
  request({
    name: 'Readiness → 200',
    method: 'GET',
    url: '{{baseUrl}}/readyz',
    test: [expectJson(200, 'Readiness'), `pm.test('ready', () => pm.expect(pm.response.json().status).to.eql('ready'));`],
  }),
]);

export const SANDBOX_FOLDER = 'Sandbox';

export const sandboxFolder: PostmanFolder = folder(
  SANDBOX_FOLDER,
  'Run against the API in sandbox mode (`npm start` or `npm run dev`, or the Prism validation proxy in front of it) with the sandbox environment.',
  [logIn, createOrder, paymentSession, statusPolling, paidOrder, wechatUnavailable, notification, refunds, operations],
);
