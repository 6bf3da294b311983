import { X509Certificate } from 'node:crypto';
import { createSandboxCredentials, startSandbox, type RunningSandbox, type SigningMode } from '../../sandbox';
import { createMerchantSigner } from '../../src/wechatpay-sdk/core/auth/merchant-signer';
import { createVerificationKeys, type WechatPayVerificationKeys } from '../../src/wechatpay-sdk/core/auth/verifier';
import { WechatPayApiError, WechatPayVerificationError } from '../../src/wechatpay-sdk/core/errors';
import { createCertificatesService } from '../../src/wechatpay-sdk/services/certificates/certificates-service';
import { call } from './helpers/http-client';

/** The SDK's certificate download against the sandbox WeChat Pay over real HTTP: decryption, and the bootstrap rule. */

const credentials = createSandboxCredentials();
const firstSerial = credentials.platformCertificate.serialNo;
const trustingFirst = () => createVerificationKeys({ platformCertificates: [{ serial: firstSerial, pem: credentials.platformCertificate.certificatePem }] });
const trustingNothing = (): WechatPayVerificationKeys => ({ publicKeys: new Map(), platformCertificates: new Map() });

function download(sandbox: RunningSandbox, keys: WechatPayVerificationKeys) {
  const signer = createMerchantSigner({
    mchId: credentials.mchId,
    merchantSerialNo: credentials.merchant.serialNo,
    merchantCertificatePem: credentials.merchant.certificatePem,
    merchantPrivateKeyPem: credentials.merchant.privateKeyPem,
  });
  const service = createCertificatesService({ baseUrl: sandbox.url, signer, keys, apiV3Key: credentials.apiV3Key, timeoutMs: 2000, wait: async () => {} });
  return service.downloadPlatformCertificates();
}

async function rotate(sandbox: RunningSandbox): Promise<string> {
  return (await call<{ serialNo: string }>(sandbox.url, 'POST', '/sandbox/rotate-platform-certificate', { body: {} })).body.serialNo;
}

function withSandbox(signingMode: SigningMode, run: (sandbox: () => RunningSandbox) => void) {
  let sandbox: RunningSandbox;
  beforeEach(async () => {
    sandbox = await startSandbox({ credentials, port: 0, signingMode });
  });
  afterEach(() => sandbox.close());
  run(() => sandbox);
}

describe('downloading platform certificates from the sandbox', () => {
  withSandbox('platform-certificate', (sandbox) => {
    describe('given the merchant trusts the certificate WeChat Pay signs with', () => {
      it('returns it decrypted, under its serial, with its validity', async () => {
        const [certificate, ...others] = await download(sandbox(), trustingFirst());
        expect(others).toEqual([]);
        expect(certificate?.serialNo).toBe(firstSerial);
        const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;
        expect(fingerprint(certificate!.certificatePem)).toBe(fingerprint(credentials.platformCertificate.certificatePem));
        expect(certificate!.expiresAt.getTime()).toBeGreaterThan(Date.now());
      });
    });

    describe('given the merchant trusts no certificate yet (the very first download)', () => {
      it('verifies the answer with the certificate it delivers', async () => {
        expect((await download(sandbox(), trustingNothing())).map((c) => c.serialNo)).toEqual([firstSerial]);
      });

      it('refuses an answer signed under a serial none of the delivered certificates has', async () => {
        await call(sandbox().url, 'POST', '/sandbox/faults', { body: { path: '/v3/certificates', unknownSerial: true } });
        await expect(download(sandbox(), trustingNothing())).rejects.toMatchObject({ reason: 'unknown_serial' });
      });
    });

    describe('given WeChat Pay rotated to a certificate the merchant does not know', () => {
      it('lists both and verifies the answer signed with the new one, leaving the trusted keys unchanged', async () => {
        const issued = await rotate(sandbox());
        const keys = trustingFirst();
        expect((await download(sandbox(), keys)).map((c) => c.serialNo)).toEqual([firstSerial, issued]);
        expect([...keys.platformCertificates.keys()]).toEqual([firstSerial]);
      });
    });

    describe('given a tampered signature', () => {
      it('fails verification and delivers nothing', async () => {
        await call(sandbox().url, 'POST', '/sandbox/faults', { body: { path: '/v3/certificates', badSignature: true } });
        await expect(download(sandbox(), trustingFirst())).rejects.toBeInstanceOf(WechatPayVerificationError);
      });
    });
  });

  withSandbox('public-key', (sandbox) => {
    describe('given a merchant with a WeChat Pay public key only', () => {
      it('gets RESOURCE_NOT_EXISTS', async () => {
        await expect(download(sandbox(), trustingFirst())).rejects.toMatchObject({ constructor: WechatPayApiError, status: 404, code: 'RESOURCE_NOT_EXISTS' });
      });
    });
  });
});
