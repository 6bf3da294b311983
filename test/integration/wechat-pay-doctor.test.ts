import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { resolve } from 'node:path';
import { createSandboxCredentials, startSandbox, withRotatedKeys, type RunningSandbox } from '../../sandbox';
import type { WechatPaySettings } from '../../src/config/env';
import { runWechatPayDoctor, type DoctorReport } from '../../src/operations/wechat-pay-doctor';
import { call } from './helpers/http-client';
import { startTestStack } from './helpers/test-stack';

const root = resolve(__dirname, '../..');
const credentials = withRotatedKeys(createSandboxCredentials());
const rotated = credentials.rotated as NonNullable<typeof credentials.rotated>;
const QUERY_PATH = '/v3/pay/transactions/out-trade-no/*';

const otherRsaKeyPem = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const otherPublicKeyPem = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

const onlyFinding = (report: DoctorReport) => {
  expect(report.findings).toHaveLength(1);
  return report.findings[0] as DoctorReport['findings'][number];
};

describe('npm run doctor: one signed query of an out_trade_no that does not exist', () => {
  let sandbox: RunningSandbox;
  let settings: WechatPaySettings;
  beforeAll(async () => {
    sandbox = await startSandbox({ credentials, port: 0 });
    settings = sandbox.wechatPaySettings({ notifyUrl: 'https://merchant.example.com/notify', keyMode: 'public-key', timeoutMs: 1000 });
  });
  afterAll(() => sandbox.close());
  afterEach(() => call(sandbox.url, 'DELETE', '/sandbox/faults'));

  describe('given the settings WeChat Pay issued', () => {
    it("reports WeChat Pay's signed 404 ORDER_NOT_EXIST as the expected answer", async () => {
      const report = await runWechatPayDoctor(settings);
      expect(report.ok).toBe(true);
      expect(onlyFinding(report)).toMatchObject({ ok: true, role: 'signing', merchantSerialNo: credentials.merchant.serialNo });
      expect(onlyFinding(report).verdict).toContain(`signed 404 ORDER_NOT_EXIST as expected`);
      expect(onlyFinding(report).verdict).toContain(credentials.wechatPayPublicKey.id);
    });

    it('sends a query of an out_trade_no that no order uses, and nothing else', async () => {
      await call(sandbox.url, 'DELETE', '/sandbox/calls');
      await runWechatPayDoctor(settings);
      const { calls } = (await call<{ calls: { method: string; path: string; status: number }[] }>(sandbox.url, 'GET', '/sandbox/calls')).body;
      expect(calls).toEqual([
        expect.objectContaining({ method: 'GET', path: expect.stringMatching(/^\/v3\/pay\/transactions\/out-trade-no\/doctor-[0-9a-f]{16}$/), status: 404 }),
      ]);
    });
  });

  describe('given a merchant serial WeChat Pay does not know', () => {
    it('reports SIGN_ERROR: merchant serial or key wrong', async () => {
      const finding = onlyFinding(await runWechatPayDoctor({ ...settings, merchantSerialNo: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1' }));
      expect(finding.ok).toBe(false);
      expect(finding.verdict).toMatch(/^SIGN_ERROR: merchant serial or key wrong \(401 SIGN_ERROR: /);
    });
  });

  describe('given a private key that is not the merchant certificate’s', () => {
    it('reports SIGN_ERROR: merchant serial or key wrong', async () => {
      const finding = onlyFinding(await runWechatPayDoctor({ ...settings, merchantPrivateKeyPem: otherRsaKeyPem() }));
      expect(finding.verdict).toMatch(/^SIGN_ERROR: merchant serial or key wrong/);
      expect(finding.verdict).toContain('错误的签名');
    });
  });

  describe('given a WeChat Pay public key id that WeChat Pay does not know', () => {
    it('reports the key id sent in Wechatpay-Serial as unknown', async () => {
      const unknown = { id: 'PUB_KEY_ID_0000000000000000000000000000000001', pem: otherPublicKeyPem() };
      const finding = onlyFinding(await runWechatPayDoctor({ ...settings, wechatPayPublicKeys: [unknown] }));
      expect(finding.verdict).toMatch(/^WeChat Pay does not know the key id we send in Wechatpay-Serial/);
    });
  });

  describe('given WeChat Pay signs with a key that is not configured', () => {
    it('reports an unverifiable response signature naming the serial', async () => {
      const platformOnly = sandbox.wechatPaySettings({ notifyUrl: 'https://merchant.example.com/notify', keyMode: 'platform-certificate' });
      const finding = onlyFinding(await runWechatPayDoctor(platformOnly));
      expect(finding.ok).toBe(false);
      expect(finding.verdict).toMatch(/^unverifiable response signature: WeChat Pay signed with a key that is not configured/);
      expect(finding.verdict).toContain(credentials.wechatPayPublicKey.id);
    });
  });

  describe('given the wrong public key under the right key id', () => {
    it('reports an unverifiable response signature', async () => {
      const wrong = { id: credentials.wechatPayPublicKey.id, pem: otherPublicKeyPem() };
      const finding = onlyFinding(await runWechatPayDoctor({ ...settings, wechatPayPublicKeys: [wrong] }));
      expect(finding.verdict).toMatch(/^unverifiable response signature: signature does not verify/);
    });
  });

  describe('given WeChat Pay answers unsigned', () => {
    it('reports that the answer cannot be told from a forgery', async () => {
      await call(sandbox.url, 'POST', '/sandbox/faults', { body: { path: QUERY_PATH, status: 404, code: 'ORDER_NOT_EXIST', unsigned: true } });
      expect(onlyFinding(await runWechatPayDoctor(settings)).verdict).toMatch(/^the answer is unsigned/);
    });
  });

  describe('given WeChat Pay does not answer within WECHATPAY_TIMEOUT_MS', () => {
    it('reports a timeout', async () => {
      await call(sandbox.url, 'POST', '/sandbox/faults', { body: { path: QUERY_PATH, delayMs: 5000 } });
      expect(onlyFinding(await runWechatPayDoctor(settings)).verdict).toMatch(/^timeout: no answer from http:\/\/127\.0\.0\.1:\d+ within 1000 ms/);
    });
  });

  describe('given WeChat Pay answers 500 SYSTEM_ERROR', () => {
    it('reports WeChat Pay unavailable', async () => {
      await call(sandbox.url, 'POST', '/sandbox/faults', { body: { path: QUERY_PATH, status: 500, code: 'SYSTEM_ERROR' } });
      expect(onlyFinding(await runWechatPayDoctor(settings)).verdict).toMatch(/^WeChat Pay is unavailable \(500 SYSTEM_ERROR/);
    });
  });

  describe('given nothing listens at WECHATPAY_BASE_URL', () => {
    it('reports that WeChat Pay cannot be reached', async () => {
      const finding = onlyFinding(await runWechatPayDoctor({ ...settings, payBaseUrl: 'http://127.0.0.1:9' }));
      expect(finding.verdict).toMatch(/^cannot reach http:\/\/127\.0\.0\.1:9\b/);
    });
  });

  describe('given two merchant certificates during a change', () => {
    it('checks each of them', async () => {
      const during = {
        ...settings,
        merchantSerialNo: rotated.merchant.serialNo,
        merchantCertificatePem: rotated.merchant.certificatePem,
        merchantPrivateKeyPem: rotated.merchant.privateKeyPem,
        standbyMerchantCertificates: [credentials.merchant],
      };
      const report = await runWechatPayDoctor(during);
      expect(report.ok).toBe(true);
      expect(report.findings.map(({ role, merchantSerialNo, ok }) => ({ role, merchantSerialNo, ok }))).toEqual([
        { role: 'signing', merchantSerialNo: rotated.merchant.serialNo, ok: true },
        { role: 'standby', merchantSerialNo: credentials.merchant.serialNo, ok: true },
      ]);
    });
  });

  describe('the npm run doctor command, given live settings in the environment during a rotation of every key', () => {
    let rotatedSandbox: RunningSandbox;
    beforeAll(async () => {
      rotatedSandbox = await startSandbox({ credentials, port: 0, signWithRotatedKeys: true });
    });
    afterAll(() => rotatedSandbox.close());

    const runDoctor = (env: Record<string, string>) =>
      new Promise<{ code: number; output: string }>((done) => {
        execFile(process.execPath, ['--import', 'tsx', 'scripts/doctor.ts'], { cwd: root, env: { PATH: process.env.PATH, ...env } }, (err, stdout, stderr) =>
          done({ code: err ? Number(err.code) : 0, output: stdout + stderr }),
        );
      });
    const liveEnv = () => ({
      NODE_ENV: 'production',
      JWT_SECRET: 'doctor-test-secret-that-is-at-least-32-characters',
      WECHAT_APP_ID: credentials.appId,
      WECHAT_APP_SECRET: credentials.appSecret,
      WECHATPAY_MCH_ID: credentials.mchId,
      WECHATPAY_MERCHANT_CERT: credentials.merchant.certificatePem,
      WECHATPAY_MERCHANT_PRIVATE_KEY: credentials.merchant.privateKeyPem,
      WECHATPAY_MERCHANT_CERT_2: rotated.merchant.certificatePem,
      WECHATPAY_MERCHANT_PRIVATE_KEY_2: rotated.merchant.privateKeyPem,
      WECHATPAY_MERCHANT_SIGNING_SERIAL: rotated.merchant.serialNo,
      WECHATPAY_API_V3_KEY: credentials.apiV3Key,
      WECHATPAY_PUBLIC_KEYS: `${rotated.wechatPayPublicKey.id}=${rotated.wechatPayPublicKey.publicKeyPem.replace(/\n/g, '\\n')}`,
      WECHATPAY_PUBLIC_KEY_ID: credentials.wechatPayPublicKey.id,
      WECHATPAY_PUBLIC_KEY: credentials.wechatPayPublicKey.publicKeyPem,
      WECHATPAY_NOTIFY_URL: 'https://merchant.example.com/payments/wechat/notify',
      WECHATPAY_BASE_URL: rotatedSandbox.url,
    });

    it('exits 0 and reports the expected answer for both merchant certificates', async () => {
      const { code, output } = await runDoctor(liveEnv());
      expect(output.match(/^ok {3}merchant certificate .* signed 404 ORDER_NOT_EXIST as expected/gm)).toHaveLength(2);
      expect(output).toContain(rotated.wechatPayPublicKey.id);
      expect(code).toBe(0);
    }, 60_000);

    it('exits 1 and says SIGN_ERROR when the signing key is not the one WeChat Pay has for that serial', async () => {
      const { code, output } = await runDoctor({
        ...liveEnv(),
        WECHATPAY_MERCHANT_SIGNING_SERIAL: credentials.merchant.serialNo,
        WECHATPAY_MCH_ID: '1900000109',
      });
      expect(output).toMatch(/^FAIL merchant certificate .*\(signing\): WECHATPAY_MCH_ID is unknown to WeChat Pay|SIGN_ERROR/m);
      expect(code).toBe(1);
    }, 60_000);
  });
});

describe('WECHATPAY_STARTUP_CHECK=true', () => {
  describe('given settings WeChat Pay accepts', () => {
    it('starts the API', async () => {
      const stack = await startTestStack({ env: { WECHATPAY_STARTUP_CHECK: 'true' } });
      try {
        expect((await call(stack.api.url, 'GET', '/healthz')).status).toBe(200);
      } finally {
        await stack.stop();
      }
    });
  });

  describe('given a merchant serial WeChat Pay refuses', () => {
    it('fails the start with the doctor’s explanation', async () => {
      const started = startTestStack({
        env: { WECHATPAY_STARTUP_CHECK: 'true' },
        adjustSettings: (s) => ({ ...s, merchantSerialNo: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1' }),
      });
      await expect(started).rejects.toThrow(/WeChat Pay start-up check failed[\s\S]*SIGN_ERROR: merchant serial or key wrong/);
    });
  });
});
