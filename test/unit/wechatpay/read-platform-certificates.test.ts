import { encryptAes256Gcm } from '../../../src/wechatpay-sdk/core/cipher/aes-gcm';
import { WechatPayMalformedResponseError } from '../../../src/wechatpay-sdk/core/errors';
import type { RawWechatPayResponse } from '../../../src/wechatpay-sdk/core/transport/check-response';
import { readPlatformCertificates, withCertificates } from '../../../src/wechatpay-sdk/services/certificates/read-platform-certificates';
import { API_V3_KEY, PLATFORM_SERIAL, testCredentials } from './helpers/test-credentials';

const credentials = testCredentials();
const now = new Date();

function entry(overrides: { serial?: string; pem?: string; algorithm?: string; key?: string; associatedData?: string } = {}) {
  const nonce = 'a1b2c3d4e5f6';
  const associatedData = 'certificate';
  return {
    serial_no: overrides.serial ?? PLATFORM_SERIAL,
    effective_time: '2026-01-01T00:00:00+08:00',
    expire_time: '2031-01-01T00:00:00+08:00',
    encrypt_certificate: {
      algorithm: overrides.algorithm ?? 'AEAD_AES_256_GCM',
      nonce,
      associated_data: overrides.associatedData ?? associatedData,
      ciphertext: encryptAes256Gcm(overrides.key ?? API_V3_KEY, nonce, associatedData, overrides.pem ?? credentials.platform.certificatePem),
    },
  };
}

function answer(body: unknown): RawWechatPayResponse {
  return { status: 200, headers: new Headers(), rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), requestId: 'REQ' };
}

const read = (body: unknown, at = now) => readPlatformCertificates('download_certificates', answer(body), API_V3_KEY, at);

describe('reading GET /v3/certificates', () => {
  describe('given a certificate encrypted with our APIv3 key under its own serial', () => {
    it('returns it with its public key and validity', () => {
      const [certificate] = read({ data: [entry()] });
      expect(certificate).toMatchObject({ serialNo: PLATFORM_SERIAL, certificatePem: expect.stringContaining('BEGIN CERTIFICATE') });
      expect(certificate?.publicKey.asymmetricKeyType).toBe('rsa');
      expect(certificate!.expiresAt.getTime()).toBeGreaterThan(now.getTime());
    });
  });

  describe('given a certificate encrypted with another key (or tampered with)', () => {
    it('refuses the whole answer', () => {
      expect(() => read({ data: [entry({ key: 'another-apiv3-key-of-32-bytes!!!' })] })).toThrow(WechatPayMalformedResponseError);
    });
  });

  describe('given the wrong associated data', () => {
    it('refuses the whole answer', () => {
      expect(() => read({ data: [entry({ associatedData: 'transaction' })] })).toThrow(/does not decrypt/);
    });
  });

  describe('given a certificate listed under a serial that is not its own', () => {
    it('refuses the whole answer', () => {
      expect(() => read({ data: [entry({ serial: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01' })] })).toThrow(/has serial/);
    });
  });

  describe('given an algorithm other than AEAD_AES_256_GCM', () => {
    it('refuses the whole answer', () => {
      expect(() => read({ data: [entry({ algorithm: 'AEAD_SM4_GCM' })] })).toThrow(/not AEAD_AES_256_GCM/);
    });
  });

  describe('given a body without a data array', () => {
    it('refuses it as malformed', () => {
      expect(() => read('not json')).toThrow(WechatPayMalformedResponseError);
      expect(() => read({ certificates: [] })).toThrow(/no data array/);
    });
  });

  describe('given a certificate past its expiry', () => {
    it('leaves it out', () => {
      const sixYearsOn = new Date(now.getTime() + 6 * 365 * 86400 * 1000);
      expect(read({ data: [entry()] }, sixYearsOn)).toEqual([]);
    });
  });

  describe('adding the certificates to the trusted keys', () => {
    it('returns a new key set with them, leaving the trusted one unchanged', () => {
      const trusted = { publicKeys: new Map(), platformCertificates: new Map() };
      const keys = withCertificates(trusted, read({ data: [entry()] }));
      expect([...keys.platformCertificates.keys()]).toEqual([PLATFORM_SERIAL]);
      expect(trusted.platformCertificates.size).toBe(0);
    });
  });
});
