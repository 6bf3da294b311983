import { createVerificationKeys, verifyWechatPaySignature } from '../../../src/wechatpay-sdk/core/auth/verifier';
import { PLATFORM_SERIAL, PUBLIC_KEY_ID, generateRsaKeyPair, signAsWechatPay, testCredentials, testSettings } from './helpers/test-credentials';

const now = new Date('2025-06-01T08:00:00Z');
const seconds = (offset: number) => String(Math.floor(now.getTime() / 1000) + offset);
const body = '{"prepay_id":"wx01080000000000000000000000000001"}';

const credentials = testCredentials();
const publicKeyOnly = createVerificationKeys(testSettings('http://unused', 'public_key'));
const platformOnly = createVerificationKeys(testSettings('http://unused', 'platform_certificate'));
const combined = createVerificationKeys(testSettings('http://unused', 'combined'));

describe('verifyWechatPaySignature', () => {
  describe('picks the key by Wechatpay-Serial', () => {
    it('public-key mode verifies an answer signed with the WeChat Pay public key', () => {
      const headers = signAsWechatPay(credentials.wechatPayKey, body, now);
      expect(verifyWechatPaySignature(publicKeyOnly, headers, body, now)).toEqual({ ok: true, serial: PUBLIC_KEY_ID, keyKind: 'wechatpay_public_key' });
    });

    it('platform-certificate mode verifies with the key of the certificate whose serial matches', () => {
      const headers = signAsWechatPay(credentials.platform, body, now);
      expect(verifyWechatPaySignature(platformOnly, headers, body, now)).toEqual({ ok: true, serial: PLATFORM_SERIAL, keyKind: 'platform_certificate' });
    });

    it('compares certificate serials case-insensitively', () => {
      const headers = signAsWechatPay({ ...credentials.platform, serial: PLATFORM_SERIAL.toLowerCase() }, body, now);
      expect(verifyWechatPaySignature(platformOnly, headers, body, now).ok).toBe(true);
    });

    it('combined mode (migration) verifies either key', () => {
      expect(verifyWechatPaySignature(combined, signAsWechatPay(credentials.wechatPayKey, body, now), body, now)).toMatchObject({
        ok: true,
        keyKind: 'wechatpay_public_key',
      });
      expect(verifyWechatPaySignature(combined, signAsWechatPay(credentials.platform, body, now), body, now)).toMatchObject({
        ok: true,
        keyKind: 'platform_certificate',
      });
    });

    it('verifies an empty body (204) over "timestamp\\nnonce\\n\\n"', () => {
      const headers = signAsWechatPay(credentials.wechatPayKey, '', now);
      expect(verifyWechatPaySignature(publicKeyOnly, headers, Buffer.alloc(0), now).ok).toBe(true);
    });

    it('reads Node-style lower-case header names and repeated headers', () => {
      const signed = signAsWechatPay(credentials.wechatPayKey, body, now);
      const nodeHeaders = Object.fromEntries(Object.entries(signed).map(([name, value]) => [name.toLowerCase(), [value]]));
      expect(verifyWechatPaySignature(publicKeyOnly, nodeHeaders, body, now).ok).toBe(true);
    });
  });

  describe('rejects', () => {
    const rejection = (keys: typeof publicKeyOnly, headers: Record<string, string>, rawBody: string | Buffer = body) =>
      verifyWechatPaySignature(keys, headers, rawBody, now);

    it('a signature made with another key', () => {
      const stranger = { privateKeyPem: generateRsaKeyPair().privateKeyPem, serial: PUBLIC_KEY_ID };
      expect(rejection(publicKeyOnly, signAsWechatPay(stranger, body, now))).toMatchObject({ ok: false, reason: 'bad_signature' });
    });

    it('a tampered body', () => {
      const headers = signAsWechatPay(credentials.wechatPayKey, body, now);
      expect(rejection(publicKeyOnly, headers, body.replace('0001', '0002'))).toMatchObject({ ok: false, reason: 'bad_signature' });
    });

    it('a re-serialised JSON body: only the raw bytes verify', () => {
      const raw = '{ "prepay_id": "wx01080000000000000000000000000001" }';
      const headers = signAsWechatPay(credentials.wechatPayKey, raw, now);
      expect(rejection(publicKeyOnly, headers, raw).ok).toBe(true);
      expect(rejection(publicKeyOnly, headers, JSON.stringify(JSON.parse(raw)))).toMatchObject({ ok: false, reason: 'bad_signature' });
    });

    it('a body that is not valid UTF-8', () => {
      const headers = signAsWechatPay(credentials.wechatPayKey, body, now);
      expect(rejection(publicKeyOnly, headers, Buffer.from([0x7b, 0xff, 0x7d]))).toMatchObject({ ok: false, reason: 'bad_signature' });
    });

    it('a signature that is not Base64 at all', () => {
      const headers = signAsWechatPay(credentials.wechatPayKey, body, now, { 'Wechatpay-Signature': '!!not-base64!!' });
      expect(rejection(publicKeyOnly, headers)).toMatchObject({ ok: false, reason: 'bad_signature' });
    });

    it.each([
      ['301 s in the past', -301],
      ['301 s in the future', 301],
    ])('a validly signed answer whose timestamp is %s', (_label, offset) => {
      const headers = signAsWechatPay(credentials.wechatPayKey, body, now, { 'Wechatpay-Timestamp': seconds(offset) });
      expect(rejection(publicKeyOnly, headers)).toMatchObject({ ok: false, reason: 'stale_timestamp' });
    });

    it.each([-300, 300])('but accepts a timestamp exactly %i s away', (offset) => {
      const headers = signAsWechatPay(credentials.wechatPayKey, body, now, { 'Wechatpay-Timestamp': seconds(offset) });
      expect(rejection(publicKeyOnly, headers).ok).toBe(true);
    });

    it('a timestamp that is not a number', () => {
      const headers = signAsWechatPay(credentials.wechatPayKey, body, now, { 'Wechatpay-Timestamp': '1748764800.5' });
      expect(rejection(publicKeyOnly, headers)).toMatchObject({ ok: false, reason: 'stale_timestamp' });
    });

    it('an unknown serial, even when the signature itself is good', () => {
      const headers = signAsWechatPay({ ...credentials.wechatPayKey, serial: 'PUB_KEY_ID_0114232134912410000000000000000999' }, body, now);
      expect(rejection(combined, headers)).toMatchObject({ ok: false, reason: 'unknown_serial' });
    });

    it('a platform-certificate serial when only the public key is configured, and the reverse', () => {
      expect(rejection(publicKeyOnly, signAsWechatPay(credentials.platform, body, now))).toMatchObject({ ok: false, reason: 'unknown_serial' });
      expect(rejection(platformOnly, signAsWechatPay(credentials.wechatPayKey, body, now))).toMatchObject({ ok: false, reason: 'unknown_serial' });
    });

    it('a PUB_KEY_ID that differs from the configured one only in case', () => {
      const headers = signAsWechatPay({ ...credentials.wechatPayKey, serial: PUBLIC_KEY_ID.toLowerCase() }, body, now);
      expect(rejection(publicKeyOnly, headers)).toMatchObject({ ok: false, reason: 'unknown_serial' });
    });

    it('a WECHATPAY/SIGNTEST/ probe', () => {
      const headers = signAsWechatPay(credentials.wechatPayKey, body, now, { 'Wechatpay-Signature': 'WECHATPAY/SIGNTEST/MTIzNDU2Nzg5MA==' });
      expect(rejection(publicKeyOnly, headers)).toMatchObject({ ok: false, reason: 'probe' });
    });

    it.each(['Wechatpay-Timestamp', 'Wechatpay-Nonce', 'Wechatpay-Signature', 'Wechatpay-Serial'])('an answer without %s', (name) => {
      const headers = signAsWechatPay(credentials.wechatPayKey, body, now);
      delete headers[name];
      expect(rejection(publicKeyOnly, headers)).toEqual({ ok: false, reason: 'missing_headers', detail: `missing ${name}` });
    });

    it('an answer whose signature header is empty', () => {
      const headers = signAsWechatPay(credentials.wechatPayKey, body, now, { 'Wechatpay-Signature': '' });
      expect(rejection(publicKeyOnly, headers)).toMatchObject({ ok: false, reason: 'missing_headers' });
    });
  });
});
