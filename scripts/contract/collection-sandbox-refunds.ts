import { expectJson, expectProblem, folder, inBlock, request, type PostmanFolder } from './postman-items';

/**
 * Refunds through the operator API, against alice's paid order (8800 fen): a traveler token refused, a partial
 * refund, its replay, a refund over what is left, the rest, WeChat's REFUND.SUCCESS notifications received, the
 * operator's view of the order, what the traveler sees, and a forged refund notification.
 */

const REFUNDS = '{{baseUrl}}/admin/orders/{{orderId}}/refunds';

/** Polls GET /admin/refunds/{{refundId}} (at most 20 times, 250 ms apart) until the sandbox's notification arrived. */
const untilSucceeded = [
  `const pollsLeft = Number(pm.collectionVariables.get('refundPollsLeft'));
  if (pm.response.json().status !== 'SUCCESS' && pollsLeft > 0) {
    pm.collectionVariables.set('refundPollsLeft', pollsLeft - 1);
    pm.execution.setNextRequest(pm.info.requestName);
    pm.test('not notified yet: asking again (' + pollsLeft + ' polls left)', () => pm.expect(pm.response.code).to.eql(200));
  } else {`,
  inBlock(expectJson(200, 'Refund')),
  `  pm.test('WeChat Pay notified REFUND.SUCCESS', () => pm.expect(pm.response.json().status).to.eql('SUCCESS'));
  }`,
];

export const refunds: PostmanFolder = folder('Refunds', 'The operator API (operator key only) refunds a paid order through WeChat Pay.', [
  request({
    name: 'Refund with a traveler token → 401 OPERATOR_UNAUTHORIZED',
    method: 'POST',
    url: REFUNDS,
    token: '{{aliceToken}}',
    headers: { 'Idempotency-Key': '{{$guid}}' },
    body: { amount: 100 },
    test: [expectProblem(401, 'OPERATOR_UNAUTHORIZED')],
  }),
  request({
    name: 'Refund part of the paid order → 201 PROCESSING',
    method: 'POST',
    url: REFUNDS,
    token: '{{operatorKey}}',
    headers: { 'Idempotency-Key': 'contract-refund-{{orderId}}-1' },
    body: { amount: 3000, reason: '改签退差价' },
    test: [
      expectJson(201, 'Refund'),
      `pm.test('WeChat accepted 3000 fen', () => pm.expect(pm.response.json()).to.include({ amount: 3000, order_id: pm.collectionVariables.get('orderId') }));
      pm.test('an out_refund_no was sent to WeChat', () => pm.expect(pm.response.json().out_refund_no).to.match(/^[0-9a-f]{32}$/));
      pm.collectionVariables.set('refundId', pm.response.json().refund_id);
      pm.collectionVariables.set('firstRefundAnswer', pm.response.text());`,
    ],
  }),
  request({
    name: 'The same Idempotency-Key again → the first answer replayed',
    method: 'POST',
    url: REFUNDS,
    token: '{{operatorKey}}',
    headers: { 'Idempotency-Key': 'contract-refund-{{orderId}}-1' },
    body: { amount: 3000, reason: '改签退差价' },
    test: [
      expectJson(201, 'Refund'),
      `pm.test('byte for byte the first answer', () => pm.expect(pm.response.text()).to.eql(pm.collectionVariables.get('firstRefundAnswer')));
      pm.test('marked as a replay', () => pm.expect(pm.response.headers.get('Idempotent-Replayed')).to.eql('true'));`,
    ],
  }),
  request({
    name: 'Refund more than is left → 409 REFUND_EXCEEDS_PAID',
    method: 'POST',
    url: REFUNDS,
    token: '{{operatorKey}}',
    headers: { 'Idempotency-Key': '{{$guid}}' },
    body: { amount: 5801 },
    test: [
      expectProblem(409, 'REFUND_EXCEEDS_PAID'),
      `pm.test('says what is left', () => pm.expect(pm.response.json().detail).to.eql('At most 5800 fen of this order can still be refunded.'));`,
    ],
  }),
  request({
    name: 'Refund the rest → 201',
    method: 'POST',
    url: REFUNDS,
    token: '{{operatorKey}}',
    headers: { 'Idempotency-Key': 'contract-refund-{{orderId}}-2' },
    body: { amount: 5800 },
    test: [
      expectJson(201, 'Refund'),
      `pm.test('WeChat accepted the remaining 5800 fen', () => pm.expect(pm.response.json().amount).to.eql(5800));
      pm.collectionVariables.set('lastRefundId', pm.response.json().refund_id);
      pm.collectionVariables.set('refundPollsLeft', 20);`,
    ],
  }),
  request({
    name: 'Refund notification received: the refund turns SUCCESS',
    method: 'GET',
    url: '{{baseUrl}}/admin/refunds/{{lastRefundId}}',
    token: '{{operatorKey}}',
    description: 'The sandbox keeps a refund PROCESSING for a while, then sends a signed, encrypted REFUND.SUCCESS to /refunds/wechat/notify.',
    prerequest: 'setTimeout(() => {}, 250);',
    test: untilSucceeded,
  }),
  request({
    name: 'The sandbox delivered REFUND.SUCCESS notifications, answered 204',
    method: 'GET',
    url: '{{sandboxUrl}}/sandbox/notifications',
    test: `pm.test('status is 200', () => pm.response.to.have.status(200));
    const refundNotices = pm.response.json().notifications.filter((n) => n.eventType === 'REFUND.SUCCESS');
    pm.test('at least one REFUND.SUCCESS was acknowledged with 204', () => {
      pm.expect(refundNotices.some((n) => n.attempts.some((a) => a.status === 204))).to.eql(true);
    });`,
  }),
  request({
    name: 'The order as operators see it: both refunds and the history',
    method: 'GET',
    url: '{{baseUrl}}/admin/orders/{{orderId}}',
    token: '{{operatorKey}}',
    test: [
      expectJson(200, 'OperatorOrder'),
      `const order = pm.response.json();
      pm.test('two refunds for the whole amount', () => pm.expect(order.refunds.map((r) => r.amount)).to.eql([3000, 5800]));
      pm.test('nothing more can be refunded', () => pm.expect(order.refund_amount).to.eql(order.amount));
      pm.test('the history shows the refund requests', () => pm.expect(order.history.filter((h) => h.event === 'refund_requested').length).to.eql(2));`,
    ],
  }),
  request({
    name: 'An unknown refund → 404 REFUND_NOT_FOUND',
    method: 'GET',
    url: '{{baseUrl}}/admin/refunds/{{$guid}}',
    token: '{{operatorKey}}',
    test: [expectProblem(404, 'REFUND_NOT_FOUND')],
  }),
  request({
    name: 'Forged refund notification → 401 FAIL',
    method: 'POST',
    url: '{{baseUrl}}/refunds/wechat/notify',
    headers: {
      'Wechatpay-Timestamp': '{{$timestamp}}',
      'Wechatpay-Nonce': '{{$guid}}',
      'Wechatpay-Signature': 'Zm9yZ2VkLXNpZ25hdHVyZQ==',
      'Wechatpay-Serial': 'PUB_KEY_ID_0114232024112200000000000000000001',
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    },
    body: {
      id: 'EV-2018022511223320874',
      create_time: '2015-05-20T13:29:35+08:00',
      resource_type: 'encrypt-resource',
      event_type: 'REFUND.SUCCESS',
      summary: '退款成功',
      resource: { original_type: 'refund', algorithm: 'AEAD_AES_256_GCM', ciphertext: 'Zm9yZ2Vk', associated_data: 'refund', nonce: 'fdasflkja484' },
    },
    test: [expectJson(401, 'WechatPayAnswer'), `pm.test('answers FAIL, so WeChat Pay would retry', () => pm.expect(pm.response.json().code).to.eql('FAIL'));`],
  }),
]);
