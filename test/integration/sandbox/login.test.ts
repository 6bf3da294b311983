import { startTestSandbox, type TestSandbox } from './helpers/test-sandbox';

describe('sandbox WeChat: GET /sns/jscode2session', () => {
  let wechat: TestSandbox;
  beforeAll(async () => {
    wechat = await startTestSandbox();
  });
  afterAll(() => wechat.sandbox.close());

  const login = async (code: string, overrides: Record<string, string> = {}) => {
    const query = new URLSearchParams({
      appid: wechat.credentials.appId,
      secret: wechat.credentials.appSecret,
      js_code: code,
      grant_type: 'authorization_code',
      ...overrides,
    });
    const response = await fetch(`${wechat.sandbox.url}/sns/jscode2session?${query}`);
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
  };

  describe('given codes alice-1 and alice_2', () => {
    it('logs both in as the same openid, with a fresh session_key each time', async () => {
      const first = await login('alice-1');
      const second = await login('alice_2');
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ openid: expect.stringMatching(/^o[A-Za-z0-9_-]{27}$/), session_key: expect.any(String) });
      expect(second.body.openid).toBe(first.body.openid);
      expect(second.body.session_key).not.toBe(first.body.session_key);
    });
  });

  describe('given codes of two travelers', () => {
    it('answers two openids', async () => {
      expect((await login('bob-1')).body.openid).not.toBe((await login('carol-1')).body.openid);
    });
  });

  describe('given a code used twice', () => {
    it('answers errcode 40163 to the second use', async () => {
      await login('dave-1');
      expect((await login('dave-1')).body).toMatchObject({ errcode: 40163, errmsg: expect.stringContaining('code been used') });
    });
  });

  describe('given a wrong secret', () => {
    it('answers errcode 40125', async () => {
      expect((await login('erin-1', { secret: 'wrong' })).body).toMatchObject({ errcode: 40125 });
    });
  });

  describe('given a wrong appid', () => {
    it('answers errcode 40013', async () => {
      expect((await login('erin-2', { appid: 'wx0000000000000000' })).body).toMatchObject({ errcode: 40013 });
    });
  });

  describe('given a login call', () => {
    it('answers unsigned, like the real login API', async () => {
      expect((await login('frank-1')).headers.get('Wechatpay-Signature')).toBeNull();
    });
  });

  describe('given an openid from login', () => {
    describe('when used to order', () => {
      it('WeChat Pay accepts it', async () => {
        const { openid } = (await login('grace-1')).body;
        expect((await wechat.prepay({ payer: { openid } })).status).toBe(200);
      });
    });
  });
});
