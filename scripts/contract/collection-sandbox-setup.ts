import { expectJson, expectProblem, folder, request, type PostmanFolder } from './postman-items';

/** Before paying: two travelers log in; Alice creates the order the later requests use (`orderId`). */
export const logIn: PostmanFolder = folder(
  'Log in',
  'Two travelers through the sandbox jscode2session: codes with the same prefix before "-" are the same traveler.',
  [
    request({
      name: 'Log in Alice',
      method: 'POST',
      url: '{{baseUrl}}/auth/wechat/login',
      prerequest: `pm.collectionVariables.set('aliceCode', 'alice-' + pm.variables.replaceIn('{{$guid}}'));`,
      body: { code: '{{aliceCode}}' },
      test: [
        expectJson(200, 'LoginResponse'),
        `pm.test('answers a token that expires later', () => pm.expect(pm.response.json().expires_in).to.be.above(0));
      pm.collectionVariables.set('aliceToken', pm.response.json().token);`,
      ],
    }),
    request({
      name: 'Log in again with the same code → 401',
      method: 'POST',
      url: '{{baseUrl}}/auth/wechat/login',
      description: 'A wx.login code is single use.',
      body: { code: '{{aliceCode}}' },
      test: [expectProblem(401, 'WECHAT_LOGIN_FAILED')],
    }),
    request({
      name: 'Log in Bob',
      method: 'POST',
      url: '{{baseUrl}}/auth/wechat/login',
      body: { code: 'bob-{{$guid}}' },
      test: [expectJson(200, 'LoginResponse'), `pm.collectionVariables.set('bobToken', pm.response.json().token);`],
    }),
  ],
);

export const createOrder: PostmanFolder = folder('Create order', 'A pending order with a seat lock; the Idempotency-Key replays the first answer.', [
  request({
    name: 'Create a pending order',
    method: 'POST',
    url: '{{baseUrl}}/orders',
    token: '{{aliceToken}}',
    prerequest: `pm.collectionVariables.set('orderKey', pm.variables.replaceIn('{{$guid}}'));`,
    headers: { 'Idempotency-Key': '{{orderKey}}' },
    body: { amount: 8800, description: 'Shanghai - Hangzhou G7311, seat 05A' },
    test: [
      expectJson(201, 'Order'),
      `const order = pm.response.json();
      pm.test('the order is pending for 88.00 yuan', () => {
        pm.expect(order.status).to.eql('pending');
        pm.expect(order.amount).to.eql(8800);
      });
      pm.test('the seat lock ends in the future', () => pm.expect(Date.parse(order.lock_expire_at)).to.be.above(Date.now()));
      pm.collectionVariables.set('orderId', order.order_id);
      pm.collectionVariables.set('lockExpireAt', order.lock_expire_at);`,
    ],
  }),
  request({
    name: 'Repeat the order with the same Idempotency-Key',
    method: 'POST',
    url: '{{baseUrl}}/orders',
    token: '{{aliceToken}}',
    headers: { 'Idempotency-Key': '{{orderKey}}' },
    body: { amount: 8800, description: 'Shanghai - Hangzhou G7311, seat 05A' },
    test: [
      expectJson(201, 'Order'),
      `pm.test('replays the first answer', () => {
        pm.expect(pm.response.headers.get('Idempotent-Replayed')).to.eql('true');
        pm.expect(pm.response.json().order_id).to.eql(pm.collectionVariables.get('orderId'));
      });`,
    ],
  }),
  request({
    name: 'Reuse the Idempotency-Key with another body → 422',
    method: 'POST',
    url: '{{baseUrl}}/orders',
    token: '{{aliceToken}}',
    headers: { 'Idempotency-Key': '{{orderKey}}' },
    body: { amount: 9900, description: 'Shanghai - Hangzhou G7311, seat 05A' },
    test: [expectProblem(422, 'IDEMPOTENCY_KEY_REUSED')],
  }),
]);
