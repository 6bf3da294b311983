import { expectJson, expectProblem, expectRateLimited, folder, inBlock, request, type PostmanFolder } from './postman-items';

const SESSION = '{{baseUrl}}/payments/session';
const STATUS = '{{baseUrl}}/payments/{{orderId}}/status';

/** Waits `retryAfter` seconds (the last Retry-After, else 3) before polling, as the mini program must. */
const waitRetryAfter = `const seconds = Number(pm.collectionVariables.get('retryAfter') || 3);
setTimeout(() => {}, seconds * 1000);`;

/** pending → paid through the sandbox's wx.requestPayment, polling no faster than Retry-After. */
export const statusPolling: PostmanFolder = folder('Status polling', 'pending → paid: pay through the sandbox, then poll at most once per Retry-After.', [
  request({
    name: 'Poll the status: pending',
    method: 'GET',
    url: STATUS,
    token: '{{aliceToken}}',
    test: [
      expectJson(200, 'PaymentStatus'),
      `pm.test('the order is pending until WeChat Pay notifies', () => pm.expect(pm.response.json().status).to.eql('pending'));
      pm.test('lock_expire_at is the order seat lock', () => {
        pm.expect(Date.parse(pm.response.json().lock_expire_at)).to.eql(Date.parse(pm.collectionVariables.get('lockExpireAt')));
      });`,
    ],
  }),
  request({
    name: 'Poll again at once → 429 with Retry-After',
    method: 'GET',
    url: STATUS,
    token: '{{aliceToken}}',
    test: [expectRateLimited()],
  }),
  request({
    name: 'Pay in the sandbox WeChat (wx.requestPayment)',
    method: 'POST',
    url: '{{sandboxUrl}}/sandbox/request-payment',
    description: 'What the WeChat client does with the session parameters; the sandbox then notifies the API.',
    body: '{{sessionJson}}',
    test: `pm.test('status is 200', () => pm.response.to.have.status(200));
    pm.test('the payment succeeds', () => pm.expect(pm.response.json().errMsg).to.eql('requestPayment:ok'));
    pm.collectionVariables.set('pollsLeft', 10);`,
  }),
  request({
    name: 'Poll the status until paid',
    method: 'GET',
    url: STATUS,
    token: '{{aliceToken}}',
    description: 'Waits Retry-After before each poll; polls again (at most 10 times) while the notification is on its way.',
    prerequest: waitRetryAfter,
    test: [
      `const pollsLeft = Number(pm.collectionVariables.get('pollsLeft'));
      const notYet = pm.response.code === 429 || pm.response.json().status === 'pending';
      pm.collectionVariables.set('retryAfter', pm.response.headers.get('Retry-After') || 3);
      if (notYet && pollsLeft > 0) {
        pm.collectionVariables.set('pollsLeft', pollsLeft - 1);
        pm.execution.setNextRequest(pm.info.requestName);
        pm.test('not paid yet: polling again (' + pollsLeft + ' polls left)', () => pm.expect(pm.response.code).to.be.oneOf([200, 429]));
      } else {`,
      inBlock(expectJson(200, 'PaymentStatus')),
      `  pm.test('the order is paid', () => pm.expect(pm.response.json().status).to.eql('paid'));
      }`,
    ],
  }),
  request({
    name: "Status of another traveler's order → 404",
    method: 'GET',
    url: STATUS,
    token: '{{bobToken}}',
    test: [expectProblem(404, 'ORDER_NOT_FOUND')],
  }),
  request({
    name: 'Status of an unknown order → 404',
    method: 'GET',
    url: '{{baseUrl}}/payments/{{$guid}}/status',
    token: '{{aliceToken}}',
    test: [expectProblem(404, 'ORDER_NOT_FOUND')],
  }),
  request({
    name: 'Status of a malformed order id → 400',
    method: 'GET',
    url: `{{baseUrl}}/payments/${'x'.repeat(65)}/status`,
    token: '{{aliceToken}}',
    test: [expectProblem(400, 'VALIDATION_FAILED')],
  }),
]);

/** Once paid, no new session. */
export const paidOrder: PostmanFolder = folder('Paid order', 'Once paid, no new session.', [
  request({
    name: 'Session for the paid order → 409',
    method: 'POST',
    url: SESSION,
    token: '{{aliceToken}}',
    body: { order_id: '{{orderId}}' },
    test: [expectProblem(409, 'ORDER_ALREADY_PAID')],
  }),
]);
