import { expectJson, expectProblem, expectRateLimited, folder, request, type PostmanFolder, type RequestSpec } from './postman-items';

/**
 * The same scenarios against the Prism mock (`npm run mock`): the `Prefer` header picks the documented
 * response and example, so a mini program developer sees every answer without a server.
 */

const SESSION = '{{baseUrl}}/payments/session';
const STATUS = '{{baseUrl}}/payments/{{mockOrderId}}/status';

function mocked(prefer: string, spec: RequestSpec) {
  return request({ ...spec, headers: { Prefer: prefer, ...spec.headers } });
}

export const MOCK_FOLDER = 'Mock-compatible';

export const mockFolder: PostmanFolder = folder(
  MOCK_FOLDER,
  'Run against the Prism mock (`npm run mock`) with the mock environment; `Prefer: code=…, example=…` picks the answer.',
  [
    mocked('code=200, example=token', {
      name: 'Mock: log in',
      method: 'POST',
      url: '{{baseUrl}}/auth/wechat/login',
      body: { code: 'alice-mock' },
      test: [expectJson(200, 'LoginResponse'), `pm.collectionVariables.set('mockToken', pm.response.json().token);`],
    }),
    mocked('code=201, example=created', {
      name: 'Mock: create a pending order',
      method: 'POST',
      url: '{{baseUrl}}/orders',
      token: '{{mockToken}}',
      headers: { 'Idempotency-Key': '{{$guid}}' },
      body: { amount: 8800, description: 'Shanghai - Hangzhou G7311, seat 05A' },
      test: [
        expectJson(201, 'Order'),
        `pm.test('the order is pending', () => pm.expect(pm.response.json().status).to.eql('pending'));
        pm.test('its seat lock ends in the future', () => pm.expect(Date.parse(pm.response.json().lock_expire_at)).to.be.above(Date.now()));
        pm.collectionVariables.set('mockOrderId', pm.response.json().order_id);`,
      ],
    }),
    request({
      name: 'Mock: create an order without an Idempotency-Key → 400',
      method: 'POST',
      url: '{{baseUrl}}/orders',
      description: 'No Prefer header: Prism refuses the request itself and, like the server, answers 400 VALIDATION_FAILED (not 422).',
      token: '{{mockToken}}',
      body: { amount: 8800, description: 'Shanghai - Hangzhou G7311, seat 05A' },
      test: [expectProblem(400, 'VALIDATION_FAILED')],
    }),
    mocked('code=200, example=created', {
      name: 'Mock: create a session',
      method: 'POST',
      url: SESSION,
      token: '{{mockToken}}',
      body: { order_id: '{{mockOrderId}}' },
      test: [
        expectJson(200, 'PaymentSession'),
        `pm.test('signType is RSA', () => pm.expect(pm.response.json().signType).to.eql('RSA'));
        pm.collectionVariables.set('mockSessionJson', pm.response.text());`,
      ],
    }),
    mocked('code=200, example=repeat', {
      name: 'Mock: repeat the session request',
      method: 'POST',
      url: SESSION,
      token: '{{mockToken}}',
      body: { order_id: '{{mockOrderId}}' },
      test: [
        expectJson(200, 'PaymentSession'),
        `pm.test('answers the same parameters', () => pm.expect(pm.response.json()).to.eql(JSON.parse(pm.collectionVariables.get('mockSessionJson'))));`,
      ],
    }),
    mocked('code=409, example=alreadyPaid', {
      name: 'Mock: session for a paid order → 409',
      method: 'POST',
      url: SESSION,
      token: '{{mockToken}}',
      body: { order_id: '{{mockOrderId}}' },
      test: [expectProblem(409, 'ORDER_ALREADY_PAID')],
    }),
    mocked('code=404, example=notFound', {
      name: 'Mock: session for an unknown order → 404',
      method: 'POST',
      url: SESSION,
      token: '{{mockToken}}',
      body: { order_id: '{{$guid}}' },
      test: [expectProblem(404, 'ORDER_NOT_FOUND')],
    }),
    mocked('code=400, example=validation', {
      name: 'Mock: session with a bad body → 400',
      method: 'POST',
      url: SESSION,
      token: '{{mockToken}}',
      body: { order_id: '{{mockOrderId}}' },
      test: [expectProblem(400, 'VALIDATION_FAILED')],
    }),
    request({
      name: 'Mock: session without a token → 401',
      method: 'POST',
      url: SESSION,
      description: 'No Prefer header: Prism checks the bearer scheme itself and answers the documented 401.',
      body: { order_id: '{{mockOrderId}}' },
      test: [expectProblem(401, 'UNAUTHORIZED')],
    }),
    mocked('code=502, example=wechatUnavailable', {
      name: 'Mock: WeChat Pay unavailable → 502',
      method: 'POST',
      url: SESSION,
      token: '{{mockToken}}',
      body: { order_id: '{{mockOrderId}}' },
      test: [expectProblem(502, 'WECHAT_UNAVAILABLE')],
    }),
    mocked('code=200, example=pending', {
      name: 'Mock: poll the status: pending',
      method: 'GET',
      url: STATUS,
      token: '{{mockToken}}',
      test: [expectJson(200, 'PaymentStatus'), `pm.test('pending', () => pm.expect(pm.response.json().status).to.eql('pending'));`],
    }),
    mocked('code=429, example=rateLimited', {
      name: 'Mock: poll too often → 429',
      method: 'GET',
      url: STATUS,
      token: '{{mockToken}}',
      test: [expectRateLimited()],
    }),
    mocked('code=200, example=paid', {
      name: 'Mock: poll the status: paid',
      method: 'GET',
      url: STATUS,
      token: '{{mockToken}}',
      test: [expectJson(200, 'PaymentStatus'), `pm.test('paid', () => pm.expect(pm.response.json().status).to.eql('paid'));`],
    }),
    mocked('code=200, example=failed', {
      name: 'Mock: poll the status: failed',
      method: 'GET',
      url: STATUS,
      token: '{{mockToken}}',
      test: [expectJson(200, 'PaymentStatus'), `pm.test('failed', () => pm.expect(pm.response.json().status).to.eql('failed'));`],
    }),
    mocked('code=404, example=notFound', {
      name: 'Mock: status of an unknown order → 404',
      method: 'GET',
      url: '{{baseUrl}}/payments/{{$guid}}/status',
      token: '{{mockToken}}',
      test: [expectProblem(404, 'ORDER_NOT_FOUND')],
    }),
    mocked('code=401, example=rejected', {
      name: 'Mock: forged notification → 401 FAIL',
      method: 'POST',
      url: '{{baseUrl}}/payments/wechat/notify',
      headers: {
        'Wechatpay-Timestamp': '{{$timestamp}}',
        'Wechatpay-Nonce': 'fdasflkja484w',
        'Wechatpay-Signature': 'Zm9yZ2VkLXNpZ25hdHVyZQ==',
        'Wechatpay-Serial': 'PUB_KEY_ID_0114232024112200000000000000000001',
      },
      body: {
        id: 'EV-2018022511223320873',
        create_time: '2015-05-20T13:29:35+08:00',
        resource_type: 'encrypt-resource',
        event_type: 'TRANSACTION.SUCCESS',
        resource: { algorithm: 'AEAD_AES_256_GCM', ciphertext: 'Zm9yZ2Vk', nonce: 'fdasflkja484' },
      },
      test: [expectJson(401, 'WechatPayAnswer'), `pm.test('answers FAIL', () => pm.expect(pm.response.json().code).to.eql('FAIL'));`],
    }),
    mocked('code=201, example=accepted', {
      name: 'Mock: refund part of a paid order (operator key)',
      method: 'POST',
      url: '{{baseUrl}}/admin/orders/{{mockOrderId}}/refunds',
      token: 'mock-operator-key-0123456789abcdefghijkl',
      headers: { 'Idempotency-Key': '{{$guid}}' },
      body: { amount: 3000, reason: '改签退差价' },
      test: [expectJson(201, 'Refund'), `pm.test('PROCESSING', () => pm.expect(pm.response.json().status).to.eql('PROCESSING'));`],
    }),
    mocked('code=409, example=exceedsPaid', {
      name: 'Mock: refund more than is left → 409',
      method: 'POST',
      url: '{{baseUrl}}/admin/orders/{{mockOrderId}}/refunds',
      token: 'mock-operator-key-0123456789abcdefghijkl',
      headers: { 'Idempotency-Key': '{{$guid}}' },
      body: { amount: 9000 },
      test: [expectProblem(409, 'REFUND_EXCEEDS_PAID')],
    }),
    mocked('code=200, example=succeeded', {
      name: 'Mock: a refund WeChat reported SUCCESS',
      method: 'GET',
      url: '{{baseUrl}}/admin/refunds/6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d',
      token: 'mock-operator-key-0123456789abcdefghijkl',
      test: [expectJson(200, 'Refund'), `pm.test('SUCCESS', () => pm.expect(pm.response.json().status).to.eql('SUCCESS'));`],
    }),
    mocked('code=200, example=refunded', {
      name: 'Mock: an order as operators see it',
      method: 'GET',
      url: '{{baseUrl}}/admin/orders/{{mockOrderId}}',
      token: 'mock-operator-key-0123456789abcdefghijkl',
      test: [expectJson(200, 'OperatorOrder'), `pm.test('with its refunds', () => pm.expect(pm.response.json().refunds.length).to.eql(1));`],
    }),
    mocked('code=401, example=rejected', {
      name: 'Mock: forged refund notification → 401 FAIL',
      method: 'POST',
      url: '{{baseUrl}}/refunds/wechat/notify',
      headers: {
        'Wechatpay-Timestamp': '{{$timestamp}}',
        'Wechatpay-Nonce': 'fdasflkja484w',
        'Wechatpay-Signature': 'Zm9yZ2VkLXNpZ25hdHVyZQ==',
        'Wechatpay-Serial': 'PUB_KEY_ID_0114232024112200000000000000000001',
      },
      body: {
        id: 'EV-2018022511223320874',
        create_time: '2015-05-20T13:29:35+08:00',
        resource_type: 'encrypt-resource',
        event_type: 'REFUND.SUCCESS',
        resource: { original_type: 'refund', algorithm: 'AEAD_AES_256_GCM', ciphertext: 'Zm9yZ2Vk', associated_data: 'refund', nonce: 'fdasflkja484' },
      },
      test: [expectJson(401, 'WechatPayAnswer'), `pm.test('answers FAIL', () => pm.expect(pm.response.json().code).to.eql('FAIL'));`],
    }),
    mocked('code=503, example=databaseUnavailable', {
      name: 'Mock: database unreachable → 503 with Retry-After',
      method: 'POST',
      url: SESSION,
      token: '{{mockToken}}',
      body: { order_id: '{{mockOrderId}}' },
      test: [expectProblem(503, 'DATABASE_UNAVAILABLE'), `pm.test('says when to retry', () => pm.response.to.have.header('Retry-After'));`],
    }),
    mocked('code=200, example=up', {
      name: 'Mock: liveness',
      method: 'GET',
      url: '{{baseUrl}}/healthz',
      test: [expectJson(200, 'Health')],
    }),
    mocked('code=503, example=databaseUnreachable', {
      name: 'Mock: readiness while the database is unreachable → 503',
      method: 'GET',
      url: '{{baseUrl}}/readyz',
      test: [expectJson(503, 'Readiness'), `pm.test('says why', () => pm.expect(pm.response.json().status).to.eql('database unreachable'));`],
    }),
  ],
);
