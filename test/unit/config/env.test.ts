import { generateKeyPairSync } from 'node:crypto';
import { loadConfig } from '../../../src/config/env';
import { problemsOf } from './config-problems';

describe('loadConfig', () => {
  describe('given nothing', () => {
    it('runs in sandbox mode with the documented defaults', () => {
      const config = loadConfig({});
      expect(config).toMatchObject({
        mode: 'sandbox',
        port: 3000,
        host: '127.0.0.1',
        sandboxPort: 3100,
        seatLockMinutes: 15,
        sessionReuseSeconds: 600,
        rateLimitStore: 'memory',
        validateResponses: true,
        apiWorkers: 1,
        statusCacheEntries: 100_000,
      });
      expect(config.wechat).toBeUndefined();
      expect(config.databaseUrl).toBeUndefined();
    });
  });

  describe('given several malformed variables', () => {
    it('throws one error naming every one of them', () => {
      const problems = problemsOf({ PORT: 'eighty', RATE_LIMIT_STORE: 'redis', DATABASE_URL: 'mysql://x', JWT_SECRET: 'short', LOG_LEVEL: 'loud' });
      expect(problems.join('\n')).toEqual(expect.stringContaining('PORT'));
      for (const name of ['PORT', 'RATE_LIMIT_STORE', 'DATABASE_URL', 'JWT_SECRET', 'LOG_LEVEL']) {
        expect(problems.some((p) => p.startsWith(name))).toBe(true);
      }
      expect(problems).toHaveLength(5);
    });
  });

  describe('given one merchant variable', () => {
    it('runs in live mode and names every missing merchant variable', () => {
      const problems = problemsOf({ WECHATPAY_MCH_ID: '1900000001' });
      for (const name of [
        'WECHAT_APP_ID',
        'WECHAT_APP_SECRET',
        'WECHATPAY_MERCHANT_CERT',
        'WECHATPAY_MERCHANT_PRIVATE_KEY',
        'WECHATPAY_API_V3_KEY',
        'WECHATPAY_NOTIFY_URL',
      ]) {
        expect(problems).toContain(`${name} is required`);
      }
      expect(problems.some((p) => p.includes('WECHATPAY_PUBLIC_KEY'))).toBe(true);
    });
  });

  describe('given production without merchant settings or JWT secret', () => {
    it('refuses both', () => {
      const problems = problemsOf({ NODE_ENV: 'production' });
      expect(problems.some((p) => p.startsWith('JWT_SECRET'))).toBe(true);
      expect(problems.some((p) => p.startsWith('production needs the merchant settings'))).toBe(true);
    });
  });

  describe('given a notify URL with a query string, a 31-byte APIv3 key and a bad public key id', () => {
    it('names each of them', () => {
      const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const problems = problemsOf({
        WECHAT_APP_ID: 'wx1',
        WECHAT_APP_SECRET: 's',
        WECHATPAY_MCH_ID: '1',
        WECHATPAY_MERCHANT_CERT: '-----BEGIN CERTIFICATE-----\\nnot a cert\\n-----END CERTIFICATE-----',
        WECHATPAY_MERCHANT_SERIAL_NO: 'ABC',
        WECHATPAY_MERCHANT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        WECHATPAY_API_V3_KEY: 'x'.repeat(31),
        WECHATPAY_PUBLIC_KEY_ID: 'KEY_1',
        WECHATPAY_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        WECHATPAY_NOTIFY_URL: 'https://example.com/notify?x=1',
      });
      expect(problems).toEqual(
        expect.arrayContaining([
          'WECHATPAY_API_V3_KEY must be exactly 32 bytes',
          'WECHATPAY_PUBLIC_KEY_ID must start with PUB_KEY_ID_ when WECHATPAY_PUBLIC_KEY is set',
          'WECHATPAY_NOTIFY_URL must not carry a query string (a WeChat Pay rule)',
        ]),
      );
    });
  });

  describe('given API_WORKERS=2 and no rate limit store', () => {
    it('shares the rate limit through PostgreSQL', () => {
      expect(loadConfig({ API_WORKERS: '2' })).toMatchObject({ apiWorkers: 2, rateLimitStore: 'postgres' });
    });
  });

  describe('given API_WORKERS=2 with RATE_LIMIT_STORE=memory', () => {
    it('refuses it: each worker would count on its own', () => {
      expect(problemsOf({ API_WORKERS: '2', RATE_LIMIT_STORE: 'memory' })).toEqual(['API_WORKERS above 1 needs RATE_LIMIT_STORE=postgres (or unset)']);
    });
  });
});

describe('loadConfig: the job queue', () => {
  describe('given nothing', () => {
    it('runs jobs on this instance, polling every second with four connections', () => {
      expect(loadConfig({}).jobs).toEqual({ enabled: true, pollingMs: 1000, poolMax: 4 });
    });
  });

  describe('given JOBS=off', () => {
    it('leaves the jobs to other instances', () => {
      expect(loadConfig({ JOBS: 'off' }).jobs.enabled).toBe(false);
    });
  });

  describe('given malformed job settings', () => {
    it('names each of them', () => {
      const problems = problemsOf({ JOBS: 'no', JOBS_POLL_MS: '100', JOBS_DATABASE_POOL_MAX: 'many' });
      expect(problems).toEqual([
        'JOBS must be one of on, off, got "no"',
        'JOBS_POLL_MS must be an integer from 500 to 60000, got "100"',
        'JOBS_DATABASE_POOL_MAX must be an integer from 2 to 100, got "many"',
      ]);
    });
  });
});

describe('loadConfig: platform certificate refresh', () => {
  describe('given nothing', () => {
    it('downloads every 12 hours, the longest interval WeChat accepts', () => {
      expect(loadConfig({}).lifecycle.certificateRefreshSeconds).toBe(43_200);
    });
  });

  describe('given an interval longer than 12 hours', () => {
    it('names WECHATPAY_CERTIFICATE_REFRESH_SECONDS', () => {
      expect(problemsOf({ WECHATPAY_CERTIFICATE_REFRESH_SECONDS: '86400' })).toEqual([expect.stringMatching(/^WECHATPAY_CERTIFICATE_REFRESH_SECONDS/)]);
    });
  });
});
