import { X509Certificate, createPublicKey } from 'node:crypto';
import { decryptAes256Gcm } from '../../../src/wechatpay-sdk/core/cipher/aes-gcm';
import type { SigningMode } from '../../../sandbox';
import { verifySandboxSignature, wechatPayKeys } from './helpers/verify-sandbox-signature';
import { startTestSandbox, uniqueOutTradeNo, type TestSandbox } from './helpers/test-sandbox';

describe('sandbox WeChat Pay: signed responses', () => {
  const running: TestSandbox[] = [];
  const start = async (signingMode: SigningMode) => {
    const wechat = await startTestSandbox({ signingMode });
    running.push(wechat);
    return wechat;
  };
  afterAll(() => Promise.all(running.map((wechat) => wechat.sandbox.close())));

  describe('given public-key mode', () => {
    describe('when an order is created', () => {
      it('signs the 200 with the WeChat Pay public key and its PUB_KEY_ID', async () => {
        const wechat = await start('public-key');
        const answer = await wechat.prepay();
        expect(answer.status).toBe(200);
        expect(answer.json()).toEqual({ prepay_id: expect.stringMatching(/^wx\d{14}[0-9a-f]{20}$/) });
        expect(answer.headers.get('Wechatpay-Serial')).toBe(wechat.credentials.wechatPayPublicKey.id);
        const publicKeyOnly = new Map([[wechat.credentials.wechatPayPublicKey.id, createPublicKey(wechat.credentials.wechatPayPublicKey.publicKeyPem)]]);
        expect(verifySandboxSignature(answer.headers, answer.rawBody, publicKeyOnly)).toBeUndefined();
        expect(answer.headers.get('Request-ID')).toMatch(/^[0-9A-F]{42}-0$/);
      });
    });
  });

  describe('given platform-certificate mode', () => {
    it('signs responses that verify with the platform certificate under its serial, not with the public key', async () => {
      const wechat = await start('platform-certificate');
      const answer = await wechat.prepay();
      const { serialNo, certificatePem } = wechat.credentials.platformCertificate;
      expect(answer.headers.get('Wechatpay-Serial')).toBe(serialNo);
      expect(verifySandboxSignature(answer.headers, answer.rawBody, new Map([[serialNo, new X509Certificate(certificatePem).publicKey]]))).toBeUndefined();
      const wrongKey = new Map([[serialNo, createPublicKey(wechat.credentials.wechatPayPublicKey.publicKeyPem)]]);
      expect(verifySandboxSignature(answer.headers, answer.rawBody, wrongKey)).toBe('signature does not verify');
    });
  });

  describe('given platform-certificate mode', () => {
    describe('when /v3/certificates is downloaded', () => {
      it('decrypts it with the APIv3 key to the platform certificate', async () => {
        const wechat = await start('platform-certificate');
        const answer = await wechat.call({ method: 'GET', path: '/v3/certificates' });
        expect(answer.status).toBe(200);
        const [entry] = answer.json<{ data: { serial_no: string; encrypt_certificate: { nonce: string; associated_data: string; ciphertext: string } }[] }>()
          .data;
        const pem = decryptAes256Gcm(
          wechat.credentials.apiV3Key,
          entry!.encrypt_certificate.nonce,
          entry!.encrypt_certificate.associated_data,
          entry!.encrypt_certificate.ciphertext,
        );
        expect(new X509Certificate(pem).serialNumber.toUpperCase()).toBe(entry!.serial_no);
        expect(entry!.serial_no).toBe(wechat.credentials.platformCertificate.serialNo);
      });
    });
  });

  describe('given public-key mode (a new merchant)', () => {
    describe('when /v3/certificates is requested', () => {
      it('answers 404 RESOURCE_NOT_EXISTS', async () => {
        const wechat = await start('public-key');
        const answer = await wechat.call({ method: 'GET', path: '/v3/certificates' });
        expect(answer.status).toBe(404);
        expect(answer.json()).toMatchObject({ code: 'RESOURCE_NOT_EXISTS' });
      });
    });
  });

  describe('given alternate mode', () => {
    describe('when requests do not name a key', () => {
      it('signs with both keys in turn and every answer verifies', async () => {
        const wechat = await start('alternate');
        const keys = wechatPayKeys(wechat.credentials);
        const serials = new Set<string>();
        for (let i = 0; i < 4; i += 1) {
          const answer = await wechat.call({
            method: 'GET',
            path: `/v3/pay/transactions/out-trade-no/NOPE0001?mchid=${wechat.credentials.mchId}`,
            headers: { 'Wechatpay-Serial': undefined },
          });
          expect(answer.status).toBe(404);
          serials.add(answer.headers.get('Wechatpay-Serial') ?? '');
          expect(verifySandboxSignature(answer.headers, answer.rawBody, keys)).toBeUndefined();
        }
        expect([...serials].sort()).toEqual([wechat.credentials.platformCertificate.serialNo, wechat.credentials.wechatPayPublicKey.id].sort());
      });
    });
  });

  describe('given alternate mode', () => {
    describe('when requests send Wechatpay-Serial: PUB_KEY_ID_…', () => {
      it('always signs the answers with the public key', async () => {
        const wechat = await start('alternate');
        for (let i = 0; i < 3; i += 1) {
          const answer = await wechat.prepay();
          expect(answer.headers.get('Wechatpay-Serial')).toBe(wechat.credentials.wechatPayPublicKey.id);
        }
      });
    });
  });

  describe('given a close (204, empty body)', () => {
    it('signs over the empty body', async () => {
      const wechat = await start('public-key');
      const outTradeNo = uniqueOutTradeNo();
      await wechat.prepay({ out_trade_no: outTradeNo });
      const answer = await wechat.call({
        method: 'POST',
        path: `/v3/pay/transactions/out-trade-no/${outTradeNo}/close`,
        body: { mchid: wechat.credentials.mchId },
      });
      expect(answer.status).toBe(204);
      expect(answer.rawBody).toBe('');
      expect(verifySandboxSignature(answer.headers, '', wechatPayKeys(wechat.credentials))).toBeUndefined();
    });
  });
});
