import { createPublicKey } from 'node:crypto';
import { parseAuthorization } from '../../../src/wechatpay-sdk/core/auth/authorization-header';
import { buildMiniProgramPayment } from '../../../src/wechatpay-sdk/services/jsapi/mini-program-payment';
import { requestSignatureMessage, signSha256WithRsa } from '../../../src/wechatpay-sdk/core/auth/signature';
import { createVerificationKeys, verifyWechatPaySignature } from '../../../src/wechatpay-sdk/core/auth/verifier';
import { createMerchantSigner } from '../../../src/wechatpay-sdk/core/auth/merchant-signer';
import {
  MERCHANT_TEST_IDENTITY,
  PAY_SIGN_VECTOR,
  PUBLIC_KEY_VERIFICATION_VECTOR,
  REQUEST_SIGNATURE_VECTOR,
  merchantTestPrivateKeyPem,
} from './fixtures/published-test-vectors';
import { issueCertificate, testSettings } from './helpers/test-credentials';

/** The library needs a merchant certificate; WeChat Pay publishes none for its test key, so one is issued here. */
function signerWithPublishedTestKey() {
  const privateKeyPem = merchantTestPrivateKeyPem();
  const publicKeyPem = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  const settings = testSettings('https://api.mch.weixin.qq.com', 'public_key', {
    mchId: MERCHANT_TEST_IDENTITY.mchId,
    merchantSerialNo: MERCHANT_TEST_IDENTITY.serialNo,
    merchantPrivateKeyPem: privateKeyPem,
    merchantCertificatePem: issueCertificate({ privateKeyPem, publicKeyPem }, '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB', MERCHANT_TEST_IDENTITY.mchId),
  });
  return createMerchantSigner(settings);
}

describe('WeChat Pay published test vectors', () => {
  it('signs the published JSAPI prepay request to the published signature, through wechatpay-node-v3', () => {
    const vector = REQUEST_SIGNATURE_VECTOR;
    const authorization = signerWithPublishedTestKey().authorize(
      { method: vector.method, pathWithQuery: vector.pathWithQuery, body: vector.body },
      vector.timestamp,
      vector.nonce,
    );

    expect(parseAuthorization(authorization)).toEqual({
      mchid: MERCHANT_TEST_IDENTITY.mchId,
      nonce_str: vector.nonce,
      timestamp: vector.timestamp,
      serial_no: MERCHANT_TEST_IDENTITY.serialNo,
      signature: vector.signature,
    });
  });

  it('agrees with our own message builder on the published request, so the library adds nothing to the body', () => {
    const vector = REQUEST_SIGNATURE_VECTOR;
    const message = requestSignatureMessage(vector.method, vector.pathWithQuery, vector.timestamp, vector.nonce, vector.body);

    expect(message.endsWith(`${vector.body}\n`)).toBe(true);
    expect(signSha256WithRsa(message, merchantTestPrivateKeyPem())).toBe(vector.signature);
  });

  it('signs a GET with an empty body line, as the walkthrough for GET /v3/certificates describes', () => {
    const signer = signerWithPublishedTestKey();
    const authorization = signer.authorize({ method: 'GET', pathWithQuery: '/v3/certificates', body: '' }, '1554208460', '593BEC0C930BF1AFEB40B4A08C8FB242');
    const expected = signSha256WithRsa('GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n', merchantTestPrivateKeyPem());

    expect(parseAuthorization(authorization)?.signature).toBe(expected);
  });

  it('computes the published Mini Program paySign', () => {
    const vector = PAY_SIGN_VECTOR;
    const payment = buildMiniProgramPayment(
      { appId: vector.appId, prepayId: vector.prepayId, now: new Date(Number(vector.timeStamp) * 1000), nonceStr: vector.nonceStr },
      signerWithPublishedTestKey().sign,
    );

    expect(payment).toEqual({
      appId: vector.appId,
      timeStamp: vector.timeStamp,
      nonceStr: vector.nonceStr,
      package: `prepay_id=${vector.prepayId}`,
      signType: 'RSA',
      paySign: vector.paySign,
    });
    expect(payment.paySign.startsWith(vector.publishedPrefix)).toBe(true);
    expect(payment.paySign.endsWith(vector.publishedSuffix)).toBe(true);
  });

  describe('the published public-key answer', () => {
    const vector = PUBLIC_KEY_VERIFICATION_VECTOR;
    const keys = createVerificationKeys({ wechatPayPublicKey: { id: vector.publicKeyId, pem: vector.publicKeyPem }, platformCertificates: [] });
    const signedAt = new Date(Number(vector.headers['Wechatpay-Timestamp']) * 1000);

    it('verifies with the WeChat Pay public key chosen by its PUB_KEY_ID serial', () => {
      expect(verifyWechatPaySignature(keys, vector.headers, vector.body, signedAt)).toEqual({
        ok: true,
        serial: vector.publicKeyId,
        keyKind: 'wechatpay_public_key',
      });
    });

    it('verifies the same bytes given as a Buffer', () => {
      expect(verifyWechatPaySignature(keys, vector.headers, Buffer.from(vector.body), signedAt).ok).toBe(true);
    });

    it('is refused once the body changes by one character', () => {
      const tampered = vector.body.replace('JyC91EIz1', 'JyC91EIz2');
      expect(verifyWechatPaySignature(keys, vector.headers, tampered, signedAt)).toMatchObject({ ok: false, reason: 'bad_signature' });
    });

    it('is refused today: its timestamp is years old (the ±300 s window)', () => {
      expect(verifyWechatPaySignature(keys, vector.headers, vector.body, new Date())).toMatchObject({ ok: false, reason: 'stale_timestamp' });
    });
  });
});
