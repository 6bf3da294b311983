import { loadConfig, type AppConfig } from '../../../src/config/env';
import { createSandboxCredentials, withRotatedKeys } from '../../../sandbox';
import { problemsOf } from './config-problems';

const credentials = withRotatedKeys(createSandboxCredentials());
const rotated = credentials.rotated as NonNullable<typeof credentials.rotated>;

/** Live settings as WeChat issues them: sandbox-generated, but shaped like the real ones. */
const liveEnv = (): Record<string, string> => ({
  WECHAT_APP_ID: credentials.appId,
  WECHAT_APP_SECRET: credentials.appSecret,
  WECHATPAY_MCH_ID: credentials.mchId,
  WECHATPAY_MERCHANT_CERT: credentials.merchant.certificatePem,
  WECHATPAY_MERCHANT_PRIVATE_KEY: credentials.merchant.privateKeyPem,
  WECHATPAY_API_V3_KEY: credentials.apiV3Key,
  WECHATPAY_PUBLIC_KEY_ID: credentials.wechatPayPublicKey.id,
  WECHATPAY_PUBLIC_KEY: credentials.wechatPayPublicKey.publicKeyPem,
  WECHATPAY_NOTIFY_URL: 'https://merchant.example.com/payments/wechat/notify',
});

const wechatOf = (env: Record<string, string>): NonNullable<AppConfig['wechat']> => loadConfig(env).wechat as NonNullable<AppConfig['wechat']>;

describe('live WeChat Pay settings', () => {
  describe('given the settings WeChat issued', () => {
    it('loads them without a problem', () => {
      expect(problemsOf(liveEnv())).toEqual([]);
    });
  });

  describe('identifiers', () => {
    it.each(['wx123', 'WX0123456789ABCDEF', 'wx0123456789abcdef0', 'gh_0123456789ab'])('refuses the appid %s', (appId) => {
      expect(problemsOf({ ...liveEnv(), WECHAT_APP_ID: appId })).toEqual([
        expect.stringMatching(/^WECHAT_APP_ID must be a Mini Program appid \(wx and 16 hex digits\)/),
      ]);
    });

    it.each(['19000001x9', '123', '0900000109', '1900000109 '.trim() + '-'])('refuses the merchant id %s', (mchId) => {
      expect(problemsOf({ ...liveEnv(), WECHATPAY_MCH_ID: mchId })).toEqual([
        expect.stringMatching(/^WECHATPAY_MCH_ID must be a merchant id \(8 to 12 digits\)/),
      ]);
    });
  });

  describe('the notify URL', () => {
    describe('given production', () => {
      const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) };

      it('refuses http://', () => {
        expect(problemsOf({ ...liveEnv(), ...production, WECHATPAY_NOTIFY_URL: 'http://merchant.example.com/payments/wechat/notify' })).toEqual([
          'WECHATPAY_NOTIFY_URL must be https:// in production (WeChat Pay notifies only HTTPS URLs)',
        ]);
      });

      it('accepts https://', () => {
        expect(problemsOf({ ...liveEnv(), ...production })).toEqual([]);
      });
    });

    describe('given development', () => {
      it('accepts http:// (a tunnel or the sandbox)', () => {
        expect(problemsOf({ ...liveEnv(), WECHATPAY_NOTIFY_URL: 'http://127.0.0.1:3000/payments/wechat/notify' })).toEqual([]);
      });
    });
  });

  describe('the merchant certificate', () => {
    it('reads the serial from the certificate when WECHATPAY_MERCHANT_SERIAL_NO is unset', () => {
      expect(wechatOf(liveEnv()).merchantSerialNo).toBe(credentials.merchant.serialNo);
    });

    it('refuses a private key that is not the certificate’s', () => {
      expect(problemsOf({ ...liveEnv(), WECHATPAY_MERCHANT_PRIVATE_KEY: rotated.merchant.privateKeyPem })).toEqual([
        'WECHATPAY_MERCHANT_PRIVATE_KEY does not belong to WECHATPAY_MERCHANT_CERT (its public key differs)',
      ]);
    });

    it('refuses a serial that is not the certificate’s', () => {
      expect(problemsOf({ ...liveEnv(), WECHATPAY_MERCHANT_SERIAL_NO: rotated.merchant.serialNo })).toEqual([
        `WECHATPAY_MERCHANT_SERIAL_NO ${rotated.merchant.serialNo} is not the serial of WECHATPAY_MERCHANT_CERT (${credentials.merchant.serialNo})`,
      ]);
    });

    it('accepts the certificate’s serial in lower case', () => {
      expect(problemsOf({ ...liveEnv(), WECHATPAY_MERCHANT_SERIAL_NO: credentials.merchant.serialNo.toLowerCase() })).toEqual([]);
    });

    it('refuses an expired certificate', () => {
      const sixYearsLater = new Date(Date.now() + 6 * 365 * 24 * 3600 * 1000);
      expect(() => loadConfig(liveEnv(), sixYearsLater)).toThrow(/WECHATPAY_MERCHANT_CERT expired on /);
    });
  });

  describe('a second merchant certificate during a change', () => {
    const withSecond = (extra: Record<string, string> = {}) => ({
      ...liveEnv(),
      WECHATPAY_MERCHANT_CERT_2: rotated.merchant.certificatePem,
      WECHATPAY_MERCHANT_PRIVATE_KEY_2: rotated.merchant.privateKeyPem,
      ...extra,
    });

    it('requires WECHATPAY_MERCHANT_SIGNING_SERIAL to say which one signs', () => {
      expect(problemsOf(withSecond())).toEqual([
        'WECHATPAY_MERCHANT_SIGNING_SERIAL is required with two merchant certificates: the serial of the one that signs',
      ]);
    });

    it('signs with the certificate WECHATPAY_MERCHANT_SIGNING_SERIAL names and keeps the other on standby', () => {
      const wechat = wechatOf(withSecond({ WECHATPAY_MERCHANT_SIGNING_SERIAL: rotated.merchant.serialNo }));
      expect(wechat.merchantSerialNo).toBe(rotated.merchant.serialNo);
      expect(wechat.merchantPrivateKeyPem.trim()).toBe(rotated.merchant.privateKeyPem.trim());
      expect(wechat.standbyMerchantCertificates.map((c) => c.serialNo)).toEqual([credentials.merchant.serialNo]);
    });

    it('refuses a signing serial that is neither certificate’s', () => {
      expect(problemsOf(withSecond({ WECHATPAY_MERCHANT_SIGNING_SERIAL: 'ABC123' }))).toEqual([
        `WECHATPAY_MERCHANT_SIGNING_SERIAL ABC123 is neither ${credentials.merchant.serialNo} nor ${rotated.merchant.serialNo}`,
      ]);
    });

    it('checks the second private key against the second certificate', () => {
      const problems = problemsOf(
        withSecond({ WECHATPAY_MERCHANT_PRIVATE_KEY_2: credentials.merchant.privateKeyPem, WECHATPAY_MERCHANT_SIGNING_SERIAL: rotated.merchant.serialNo }),
      );
      expect(problems).toEqual(['WECHATPAY_MERCHANT_PRIVATE_KEY_2 does not belong to WECHATPAY_MERCHANT_CERT_2 (its public key differs)']);
    });
  });

  describe('several WeChat Pay public keys', () => {
    const entry = (id: string, pem: string) => `${id}=${pem.replace(/\n/g, '\\n')}`;

    it('reads WECHATPAY_PUBLIC_KEYS in order, then the single-key variables', () => {
      const wechat = wechatOf({ ...liveEnv(), WECHATPAY_PUBLIC_KEYS: entry(rotated.wechatPayPublicKey.id, rotated.wechatPayPublicKey.publicKeyPem) });
      expect(wechat.wechatPayPublicKeys.map((key) => key.id)).toEqual([rotated.wechatPayPublicKey.id, credentials.wechatPayPublicKey.id]);
    });

    it('takes WECHATPAY_PUBLIC_KEYS alone', () => {
      const env = liveEnv();
      delete env.WECHATPAY_PUBLIC_KEY;
      delete env.WECHATPAY_PUBLIC_KEY_ID;
      const keys = [
        entry(rotated.wechatPayPublicKey.id, rotated.wechatPayPublicKey.publicKeyPem),
        entry(credentials.wechatPayPublicKey.id, credentials.wechatPayPublicKey.publicKeyPem),
      ];
      expect(wechatOf({ ...env, WECHATPAY_PUBLIC_KEYS: keys.join(',') }).wechatPayPublicKeys).toHaveLength(2);
    });

    it('refuses an entry without a PUB_KEY_ID_ id', () => {
      expect(problemsOf({ ...liveEnv(), WECHATPAY_PUBLIC_KEYS: entry('KEY_1', rotated.wechatPayPublicKey.publicKeyPem) })).toEqual([
        'WECHATPAY_PUBLIC_KEYS: the key id must start with PUB_KEY_ID_, got "KEY_1"',
      ]);
    });

    it('refuses an entry that is not a public key', () => {
      expect(
        problemsOf({
          ...liveEnv(),
          WECHATPAY_PUBLIC_KEYS: entry(rotated.wechatPayPublicKey.id, '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----'),
        }),
      ).toEqual([expect.stringMatching(/^WECHATPAY_PUBLIC_KEYS key PUB_KEY_ID_\S+ is not an RSA public key$/)]);
    });
  });

  describe('several platform certificates', () => {
    it('keys each by its serial', () => {
      const certs = [credentials.platformCertificate.certificatePem, rotated.platformCertificate.certificatePem].map((pem) => pem.replace(/\n/g, '\\n'));
      const wechat = wechatOf({ ...liveEnv(), WECHATPAY_PLATFORM_CERTS: certs.join(',') });
      expect(wechat.platformCertificates.map((c) => c.serial)).toEqual([credentials.platformCertificate.serialNo, rotated.platformCertificate.serialNo]);
    });
  });

  describe('WECHATPAY_STARTUP_CHECK', () => {
    it('is off unless set to true', () => {
      expect(loadConfig(liveEnv()).wechatPayStartupCheck).toBe(false);
      expect(loadConfig({ ...liveEnv(), WECHATPAY_STARTUP_CHECK: 'true' }).wechatPayStartupCheck).toBe(true);
    });
  });
});
