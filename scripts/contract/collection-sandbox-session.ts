import { expectJson, expectProblem, folder, request, type PostmanFolder } from './postman-items';

const SESSION = '{{baseUrl}}/payments/session';

/** Sessions for Alice's pending order, and each refusal the card names. */
export const paymentSession: PostmanFolder = folder('Payment session', 'wx.requestPayment parameters for a pending order, and the refusals.', [
  request({
    name: 'Create a session for the pending order',
    method: 'POST',
    url: SESSION,
    token: '{{aliceToken}}',
    body: { order_id: '{{orderId}}' },
    test: [
      expectJson(200, 'PaymentSession'),
      `const session = pm.response.json();
      pm.test('parameters are ready for wx.requestPayment', () => {
        pm.expect(session.timeStamp).to.match(/^[0-9]{10}$/);
        pm.expect(session.package).to.match(/^prepay_id=/);
        pm.expect(session.signType).to.eql('RSA');
        pm.expect(session.paySign).to.not.be.empty;
      });
      pm.collectionVariables.set('sessionJson', pm.response.text());`,
    ],
  }),
  request({
    name: 'Repeat the session request on the same order',
    method: 'POST',
    url: SESSION,
    token: '{{aliceToken}}',
    body: { order_id: '{{orderId}}' },
    test: [
      expectJson(200, 'PaymentSession'),
      `pm.test('answers the same parameters as the first request', () => {
        pm.expect(pm.response.json()).to.eql(JSON.parse(pm.collectionVariables.get('sessionJson')));
      });`,
    ],
  }),
  request({
    name: 'Session without order_id → 400',
    method: 'POST',
    url: SESSION,
    token: '{{aliceToken}}',
    body: {},
    test: [
      expectProblem(400, 'VALIDATION_FAILED'),
      `pm.test('names the missing field', () => pm.expect(pm.response.json().errors.map((e) => e.path)).to.include('/body/order_id'));`,
    ],
  }),
  request({
    name: 'Session with an invalid token → 401',
    method: 'POST',
    url: SESSION,
    token: 'not-a-valid-token',
    body: { order_id: '{{orderId}}' },
    test: [expectProblem(401, 'UNAUTHORIZED')],
  }),
  request({
    name: 'Session for an unknown order → 404',
    method: 'POST',
    url: SESSION,
    token: '{{aliceToken}}',
    body: { order_id: '{{$guid}}' },
    test: [expectProblem(404, 'ORDER_NOT_FOUND')],
  }),
  request({
    name: "Session for another traveler's order → 404",
    method: 'POST',
    url: SESSION,
    token: '{{bobToken}}',
    body: { order_id: '{{orderId}}' },
    test: [expectProblem(404, 'ORDER_NOT_FOUND')],
  }),
]);

/** A WeChat Pay outage through the sandbox's fault injection, then recovery. */
export const wechatUnavailable: PostmanFolder = folder(
  'WeChat Pay unavailable',
  "The sandbox's fault injection fails JSAPI prepay more times than the client retries (2).",
  [
    request({
      name: 'Create another pending order',
      method: 'POST',
      url: '{{baseUrl}}/orders',
      token: '{{aliceToken}}',
      headers: { 'Idempotency-Key': '{{$guid}}' },
      body: { amount: 100, description: 'Seat reservation fee' },
      test: [expectJson(201, 'Order'), `pm.collectionVariables.set('failingOrderId', pm.response.json().order_id);`],
    }),
    request({
      name: 'Make the sandbox JSAPI prepay fail 3 times',
      method: 'POST',
      url: '{{sandboxUrl}}/sandbox/faults',
      body: { path: '/v3/pay/transactions/jsapi', count: 3, status: 500, code: 'SYSTEM_ERROR' },
      test: `pm.test('status is 201', () => pm.response.to.have.status(201));
    pm.test('the fault is armed', () => pm.expect(pm.response.json().fault.remaining).to.eql(3));`,
    }),
    request({
      name: 'Session while WeChat Pay fails → 502',
      method: 'POST',
      url: SESSION,
      token: '{{aliceToken}}',
      body: { order_id: '{{failingOrderId}}' },
      test: [expectProblem(502, 'WECHAT_UNAVAILABLE')],
    }),
    request({
      name: 'Clear the sandbox faults',
      method: 'DELETE',
      url: '{{sandboxUrl}}/sandbox/faults',
      test: `pm.test('status is 204', () => pm.response.to.have.status(204));`,
    }),
    request({
      name: 'Session once WeChat Pay recovers',
      method: 'POST',
      url: SESSION,
      token: '{{aliceToken}}',
      body: { order_id: '{{failingOrderId}}' },
      test: [expectJson(200, 'PaymentSession'), `pm.test('a prepay_id was issued', () => pm.expect(pm.response.json().package).to.match(/^prepay_id=/));`],
    }),
  ],
);
