import { generateKeyPairSync } from 'node:crypto';
import { formatCompactBeijingTime } from '../../src/wechatpay-sdk';
import { generateAlphanumeric, generateDigits, generateHex } from '../pay-api/generate-wechat-ids';
import { issueCertificate, type CertificateSubject } from './issue-certificate';

/** Everything the sandbox plays both sides of: what WeChat issues to the merchant, and WeChat Pay's own keys. */
export interface SandboxCredentials {
  appId: string;
  appSecret: string;
  mchId: string;
  /** 32 ASCII characters, used as its bytes for AES-256-GCM. */
  apiV3Key: string;
  /** `apiclient_key.pem` + `apiclient_cert.pem`: the merchant signs requests and paySign with this key. */
  merchant: { serialNo: string; privateKeyPem: string; publicKeyPem: string; certificatePem: string };
  /** WeChat Pay public key mode (`pub_key.pem` + `PUB_KEY_ID_…`). */
  wechatPayPublicKey: { id: string; privateKeyPem: string; publicKeyPem: string };
  /** Legacy platform certificate mode: a different key pair with its own certificate and serial. */
  platformCertificate: SandboxPlatformCertificate;
  /** The sandbox CA that issued both certificates (the real ones come from Tenpay's CA). */
  issuerCertificatePem: string;
  /** Second keys, for rotation tests: a new merchant certificate, a new WeChat Pay public key, a new platform certificate. */
  rotated?: RotatedSandboxKeys;
}

export interface SandboxPlatformCertificate {
  serialNo: string;
  privateKeyPem: string;
  certificatePem: string;
}

export type RotatedSandboxKeys = Pick<SandboxCredentials, 'merchant' | 'wechatPayPublicKey' | 'platformCertificate'>;

interface KeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** PKCS#8 private key and SPKI public key, the PEM kinds of `apiclient_key.pem` and `pub_key.pem`. */
function createRsaKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

const ISSUER: CertificateSubject = { commonName: 'WeChat Pay Sandbox CA', organization: 'WeChat Pay Sandbox', organizationalUnit: 'Sandbox CA Center' };

/** Generates a fresh, self-consistent merchant + WeChat Pay identity in memory (four RSA-2048 key pairs: well under a second). */
export function createSandboxCredentials(now: Date = new Date()): SandboxCredentials {
  const [issuerKeys, merchantKeys, publicKeyKeys, platformKeys] = [createRsaKeyPair(), createRsaKeyPair(), createRsaKeyPair(), createRsaKeyPair()];
  const mchId = `19${generateDigits(8)}`;
  const notBefore = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  const certify = (subject: CertificateSubject, keys: KeyPair, isAuthority = false) =>
    issueCertificate({
      subject,
      subjectPublicKeyPem: keys.publicKeyPem,
      issuer: ISSUER,
      issuerPrivateKeyPem: issuerKeys.privateKeyPem,
      isAuthority,
      notBefore,
      validYears: 5,
    });

  const issuer = certify(ISSUER, issuerKeys, true);
  const merchantCertificate = certify({ commonName: mchId, organization: 'Sandbox Merchant', organizationalUnit: 'Sandbox Merchant' }, merchantKeys);
  const platformCertificate = certify(
    { commonName: 'Tenpay.com Sandbox Platform', organization: 'Tenpay.com', organizationalUnit: 'Tenpay.com Sandbox' },
    platformKeys,
  );

  return {
    appId: `wx${generateHex(8)}`,
    appSecret: generateHex(16),
    mchId,
    apiV3Key: generateAlphanumeric(32),
    merchant: { serialNo: merchantCertificate.serialNo, certificatePem: merchantCertificate.certificatePem, ...merchantKeys },
    wechatPayPublicKey: { id: `PUB_KEY_ID_01${mchId}${formatCompactBeijingTime(now).slice(0, 8)}${generateDigits(14)}`, ...publicKeyKeys },
    platformCertificate: {
      serialNo: platformCertificate.serialNo,
      certificatePem: platformCertificate.certificatePem,
      privateKeyPem: platformKeys.privateKeyPem,
    },
    issuerCertificatePem: issuer.certificatePem,
  };
}

/**
 * The same identity with a second key of each kind, as during a rotation: the sandbox then accepts requests signed
 * with either merchant certificate, and `startSandbox({ signWithRotatedKeys: true })` signs with the new WeChat keys.
 */
export function withRotatedKeys(credentials: SandboxCredentials, now: Date = new Date()): SandboxCredentials {
  const fresh = createSandboxCredentials(now);
  const wechatPayPublicKey = { ...fresh.wechatPayPublicKey, id: fresh.wechatPayPublicKey.id.replace(fresh.mchId, credentials.mchId) };
  return { ...credentials, rotated: { merchant: fresh.merchant, wechatPayPublicKey, platformCertificate: fresh.platformCertificate } };
}

/** One more platform certificate (its own key pair, from a fresh sandbox CA), as WeChat Pay issues when it rotates. */
export function createPlatformCertificate(now: Date = new Date()): SandboxPlatformCertificate {
  const [issuerKeys, platformKeys] = [createRsaKeyPair(), createRsaKeyPair()];
  const issued = issueCertificate({
    subject: { commonName: 'Tenpay.com Sandbox Platform', organization: 'Tenpay.com', organizationalUnit: 'Tenpay.com Sandbox' },
    subjectPublicKeyPem: platformKeys.publicKeyPem,
    issuer: ISSUER,
    issuerPrivateKeyPem: issuerKeys.privateKeyPem,
    notBefore: new Date(now.getTime() - 24 * 60 * 60 * 1000),
    validYears: 5,
  });
  return { serialNo: issued.serialNo, certificatePem: issued.certificatePem, privateKeyPem: platformKeys.privateKeyPem };
}
