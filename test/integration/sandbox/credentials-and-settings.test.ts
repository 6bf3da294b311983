import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateSandboxCredentials, sandboxWechatPaySettings } from '../../../sandbox';
import { testCredentials } from './helpers/test-sandbox';

describe('sandbox credentials and WechatPaySettings', () => {
  const credentials = testCredentials();

  describe('given new credentials', () => {
    it('gives identifiers WeChat shapes and keys that pair up', () => {
      expect(credentials.appId).toMatch(/^wx[0-9a-f]{16}$/);
      expect(credentials.mchId).toMatch(/^\d{10}$/);
      expect(Buffer.byteLength(credentials.apiV3Key)).toBe(32);
      expect(credentials.wechatPayPublicKey.id).toMatch(/^PUB_KEY_ID_\d+$/);
      const merchantCertificate = new X509Certificate(credentials.merchant.certificatePem);
      expect(merchantCertificate.serialNumber.toUpperCase()).toBe(credentials.merchant.serialNo);
      expect(credentials.merchant.serialNo).toMatch(/^[0-9A-F]{40}$/);
      expect(merchantCertificate.checkPrivateKey(createPrivateKey(credentials.merchant.privateKeyPem))).toBe(true);
      const platformCertificate = new X509Certificate(credentials.platformCertificate.certificatePem);
      expect(platformCertificate.serialNumber.toUpperCase()).toBe(credentials.platformCertificate.serialNo);
      expect(platformCertificate.checkPrivateKey(createPrivateKey(credentials.platformCertificate.privateKeyPem))).toBe(true);
      const issuer = new X509Certificate(credentials.issuerCertificatePem);
      expect(merchantCertificate.verify(issuer.publicKey)).toBe(true);
      expect(platformCertificate.checkIssued(issuer)).toBe(true);
      expect(createPublicKey(credentials.wechatPayPublicKey.publicKeyPem).equals(platformCertificate.publicKey)).toBe(false);
    });
  });

  describe('given a directory', () => {
    it('stores credentials once and reuses them on the next start, with the merchant files', () => {
      const dir = join(mkdtempSync(join(tmpdir(), 'sandbox-credentials-')), 'sandbox');
      try {
        const first = loadOrCreateSandboxCredentials(dir);
        const second = loadOrCreateSandboxCredentials(dir);
        expect(second).toEqual(first);
        expect(readFileSync(join(dir, 'apiclient_key.pem'), 'utf8')).toBe(first.merchant.privateKeyPem);
        expect(readFileSync(join(dir, 'pub_key.pem'), 'utf8')).toBe(first.wechatPayPublicKey.publicKeyPem);
        expect(existsSync(join(dir, 'apiclient_cert.pem')) && existsSync(join(dir, 'platform_cert.pem'))).toBe(true);
        expect(statSync(join(dir, 'credentials.json')).mode & 0o077).toBe(0);
      } finally {
        rmSync(join(dir, '..'), { recursive: true, force: true });
      }
    });
  });

  describe.each([
    ['public-key', true, 0],
    ['platform-certificate', false, 1],
    ['both', true, 1],
  ] as const)('given keyMode %s', (keyMode, hasPublicKey, certificates) => {
    it('the settings hold the matching WeChat Pay keys', () => {
      const settings = sandboxWechatPaySettings(credentials, {
        baseUrl: 'http://127.0.0.1:3100/',
        notifyUrl: 'http://127.0.0.1:3000/payments/wechat/notify',
        keyMode,
      });
      expect(settings).toMatchObject({
        appId: credentials.appId,
        appSecret: credentials.appSecret,
        mchId: credentials.mchId,
        merchantSerialNo: credentials.merchant.serialNo,
        apiV3Key: credentials.apiV3Key,
        payBaseUrl: 'http://127.0.0.1:3100',
        wechatApiBaseUrl: 'http://127.0.0.1:3100',
        timeoutMs: 5000,
      });
      expect(settings.wechatPayPublicKeys.length > 0).toBe(hasPublicKey);
      expect(settings.platformCertificates).toHaveLength(certificates);
    });
  });
});
