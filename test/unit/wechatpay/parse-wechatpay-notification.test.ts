import Pay from 'wechatpay-node-v3';
import { DecryptionError, decryptAes256Gcm, encryptAes256Gcm } from '../../../src/wechatpay-sdk/core/cipher/aes-gcm';
import { parseWechatPayNotification } from '../../../src/wechatpay-sdk/core/notify/parse-notification';
import { createVerificationKeys } from '../../../src/wechatpay-sdk/core/auth/verifier';
import { API_V3_KEY, signAsWechatPay, testCredentials, testSettings } from './helpers/test-credentials';

const now = new Date('2025-06-01T08:00:00Z');
const credentials = testCredentials();
const keys = createVerificationKeys(testSettings('http://unused', 'combined'));

const transaction = {
  appid: 'wx0000000000000001',
  mchid: '1900000001',
  out_trade_no: 'ORD20250601000001',
  transaction_id: '4200000000202506010000000001',
  trade_type: 'JSAPI',
  trade_state: 'SUCCESS',
  trade_state_desc: '支付成功',
  bank_type: 'OTHERS',
  attach: '',
  success_time: '2025-06-01T16:00:00+08:00',
  payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  amount: { total: 8800, payer_total: 8800, currency: 'CNY', payer_currency: 'CNY' },
};

interface ResourceOptions {
  plaintext?: string;
  associatedData?: string;
  apiV3Key?: string;
  algorithm?: string;
}

function envelope(options: ResourceOptions = {}): Record<string, unknown> {
  const nonce = 'fdasflkja484';
  const associatedData = options.associatedData ?? 'transaction';
  return {
    id: 'EV-2018022511223320873',
    create_time: '2025-06-01T16:00:01+08:00',
    resource_type: 'encrypt-resource',
    event_type: 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: {
      original_type: 'transaction',
      algorithm: options.algorithm ?? 'AEAD_AES_256_GCM',
      ciphertext: encryptAes256Gcm(options.apiV3Key ?? API_V3_KEY, nonce, associatedData, options.plaintext ?? JSON.stringify(transaction)),
      associated_data: associatedData,
      nonce,
    },
  };
}

/** Signs whatever body it is given, so a test can isolate the step after verification. */
function deliver(body: string, headerOverrides: Record<string, string> = {}) {
  return parseWechatPayNotification({
    keys,
    apiV3Key: API_V3_KEY,
    headers: signAsWechatPay(credentials.wechatPayKey, body, now, headerOverrides),
    rawBody: body,
    now,
  });
}

function flipFirstCiphertextByte(ciphertext: string): string {
  const bytes = Buffer.from(ciphertext, 'base64');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}

describe('parseWechatPayNotification', () => {
  it('verifies, decrypts and returns the transaction with its envelope', () => {
    const body = JSON.stringify(envelope());
    const result = deliver(body);

    expect(result).toMatchObject({ ok: true, envelope: { id: 'EV-2018022511223320873', event_type: 'TRANSACTION.SUCCESS' }, transaction });
  });

  it('takes the raw body as a Buffer and verifies with a platform certificate too', () => {
    const body = JSON.stringify(envelope());
    const result = parseWechatPayNotification({
      keys,
      apiV3Key: API_V3_KEY,
      headers: signAsWechatPay(credentials.platform, body, now),
      rawBody: Buffer.from(body),
      now,
    });

    expect(result.ok).toBe(true);
  });

  it.each([
    ['probe', { 'Wechatpay-Signature': 'WECHATPAY/SIGNTEST/MTIzNDU2Nzg5MA==' }],
    ['unknown_serial', { 'Wechatpay-Serial': 'PUB_KEY_ID_0114232134912410000000000000000999' }],
    ['stale_timestamp', { 'Wechatpay-Timestamp': String(Math.floor(now.getTime() / 1000) - 301) }],
  ])('refuses a %s before looking at the body', (reason, overrides) => {
    expect(deliver(JSON.stringify(envelope()), overrides)).toMatchObject({ ok: false, reason });
  });

  it('refuses a body changed after signing', () => {
    const body = JSON.stringify(envelope());
    const headers = signAsWechatPay(credentials.wechatPayKey, body, now);
    const result = parseWechatPayNotification({ keys, apiV3Key: API_V3_KEY, headers, rawBody: body.replace('支付成功', '支付失败'), now });

    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('refuses missing signature headers', () => {
    const result = parseWechatPayNotification({ keys, apiV3Key: API_V3_KEY, headers: {}, rawBody: JSON.stringify(envelope()), now });
    expect(result).toMatchObject({ ok: false, reason: 'missing_headers' });
  });

  describe('decryption (AES-256-GCM, tag checked)', () => {
    it('fails on a ciphertext with one flipped bit', () => {
      const tampered = envelope();
      const resource = tampered.resource as { ciphertext: string };
      resource.ciphertext = flipFirstCiphertextByte(resource.ciphertext);

      expect(deliver(JSON.stringify(tampered))).toMatchObject({ ok: false, reason: 'decrypt_failed' });
    });

    it('fails when associated_data is not what was encrypted with', () => {
      const wrongAad = envelope();
      (wrongAad.resource as { associated_data: string }).associated_data = 'refund';

      expect(deliver(JSON.stringify(wrongAad))).toMatchObject({ ok: false, reason: 'decrypt_failed' });
    });

    it('fails when the resource was encrypted with another APIv3 key', () => {
      const otherKey = envelope({ apiV3Key: 'another-apiv3-key-of-32-bytes!!!' });
      expect(deliver(JSON.stringify(otherKey))).toMatchObject({ ok: false, reason: 'decrypt_failed' });
    });

    it('round-trips with encryptAes256Gcm', () => {
      const ciphertext = encryptAes256Gcm(API_V3_KEY, 'fdasflkja484', 'transaction', '{"a":1}');
      expect(decryptAes256Gcm(API_V3_KEY, 'fdasflkja484', 'transaction', ciphertext)).toBe('{"a":1}');
    });
  });

  describe('why not wechatpay-node-v3 decipher_gcm: it never calls final(), so the GCM tag is never checked', () => {
    const library = new Pay({
      appid: 'wx0000000000000001',
      mchid: '1900000001',
      serial_no: 'unused',
      publicKey: Buffer.from('unused'),
      privateKey: Buffer.from('unused'),
    });
    const nonce = 'fdasflkja484';
    const plaintext = JSON.stringify({ out_trade_no: 'ORD20250601000001', amount: { total: 8800 } });
    const ciphertext = encryptAes256Gcm(API_V3_KEY, nonce, 'transaction', plaintext);

    it('"decrypts" a tampered ciphertext into altered plaintext where ours throws', () => {
      const tampered = flipFirstCiphertextByte(ciphertext);
      const fromLibrary: unknown = library.decipher_gcm(tampered, 'transaction', nonce, API_V3_KEY);

      expect(typeof fromLibrary).toBe('string');
      expect(fromLibrary).not.toBe(plaintext);
      expect((fromLibrary as string).slice(1)).toBe(plaintext.slice(1));
      expect(() => decryptAes256Gcm(API_V3_KEY, nonce, 'transaction', tampered)).toThrow(DecryptionError);
    });

    it('accepts a wrong associated_data where ours throws', () => {
      expect(library.decipher_gcm(ciphertext, 'refund', nonce, API_V3_KEY)).toEqual(JSON.parse(plaintext));
      expect(() => decryptAes256Gcm(API_V3_KEY, nonce, 'refund', ciphertext)).toThrow(DecryptionError);
    });

    it('returns garbage for a wrong APIv3 key where ours throws', () => {
      const wrongKey = 'another-apiv3-key-of-32-bytes!!!';
      expect(() => library.decipher_gcm(ciphertext, 'transaction', nonce, wrongKey)).not.toThrow();
      expect(library.decipher_gcm(ciphertext, 'transaction', nonce, wrongKey)).not.toEqual(JSON.parse(plaintext));
      expect(() => decryptAes256Gcm(wrongKey, nonce, 'transaction', ciphertext)).toThrow(DecryptionError);
    });
  });

  describe('malformed envelopes (signed, so only the shape is wrong)', () => {
    it('refuses a body that is not JSON', () => {
      expect(deliver('not json')).toMatchObject({ ok: false, reason: 'malformed' });
    });

    it('refuses an envelope without resource', () => {
      const { resource: _resource, ...rest } = envelope();
      expect(deliver(JSON.stringify(rest))).toMatchObject({ ok: false, reason: 'malformed' });
    });

    it('refuses an algorithm other than AEAD_AES_256_GCM', () => {
      expect(deliver(JSON.stringify(envelope({ algorithm: 'AEAD_SM4_GCM' })))).toMatchObject({
        ok: false,
        reason: 'malformed',
        detail: 'unsupported algorithm AEAD_SM4_GCM',
      });
    });

    it('refuses a decrypted resource that is not JSON', () => {
      expect(deliver(JSON.stringify(envelope({ plaintext: 'plain text' })))).toMatchObject({ ok: false, reason: 'malformed' });
    });

    it('refuses a decrypted resource that is not a transaction', () => {
      const { trade_state: _state, ...withoutState } = transaction;
      expect(deliver(JSON.stringify(envelope({ plaintext: JSON.stringify(withoutState) })))).toMatchObject({ ok: false, reason: 'malformed' });
    });

    it('refuses an amount that is not an integer number of fen', () => {
      const inYuan = { ...transaction, amount: { ...transaction.amount, total: 88.0001 } };
      expect(deliver(JSON.stringify(envelope({ plaintext: JSON.stringify(inYuan) })))).toMatchObject({ ok: false, reason: 'malformed' });
    });
  });
});
