import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { EnvReader } from './env-reader';

/** One merchant API certificate (`apiclient_cert.pem`) with its private key (`apiclient_key.pem`). */
export interface MerchantCertificate {
  serialNo: string;
  certificatePem: string;
  privateKeyPem: string;
}

export interface MerchantCertificates {
  /** Signs every request and paySign. */
  signing: MerchantCertificate;
  /** Configured and checked during a certificate change, not signing (WeChat accepts both until the old one is revoked). */
  standby: MerchantCertificate[];
}

const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });

/** Names of one certificate's variables: `WECHATPAY_MERCHANT_CERT`, or `WECHATPAY_MERCHANT_CERT_2` for the second. */
function variables(suffix: string) {
  return { cert: `WECHATPAY_MERCHANT_CERT${suffix}`, key: `WECHATPAY_MERCHANT_PRIVATE_KEY${suffix}`, serial: `WECHATPAY_MERCHANT_SERIAL_NO${suffix}` };
}

function parseCertificate(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

/** The key must be the certificate's, and a given serial the certificate's serial: WeChat answers SIGN_ERROR otherwise. */
function readCertificate(read: EnvReader, suffix: string, now: Date): MerchantCertificate {
  const names = variables(suffix);
  const certificatePem = read.pem(names.cert, read.required(names.cert));
  const privateKeyPem = read.pem(names.key, read.required(names.key));
  const certificate = certificatePem ? parseCertificate(certificatePem) : undefined;
  if (certificatePem && !certificate) read.problems.push(`${names.cert} is not a readable X.509 certificate`);
  if (privateKeyPem) read.check(names.key, () => createPrivateKey(privateKeyPem).asymmetricKeyType === 'rsa', 'is not an RSA private key');
  const serialFromCertificate = certificate?.serialNumber.toUpperCase();
  const serialNo = read.string(names.serial)?.toUpperCase() ?? serialFromCertificate ?? '';
  if (certificate && privateKeyPem) {
    read.check(
      names.key,
      () => spki(createPublicKey(privateKeyPem)).equals(spki(certificate.publicKey)),
      `does not belong to ${names.cert} (its public key differs)`,
    );
    if (serialNo !== serialFromCertificate) read.problems.push(`${names.serial} ${serialNo} is not the serial of ${names.cert} (${serialFromCertificate})`);
    if (new Date(certificate.validTo) < now) read.problems.push(`${names.cert} expired on ${new Date(certificate.validTo).toISOString()}`);
  }
  return { serialNo, certificatePem, privateKeyPem };
}

/**
 * One certificate, or two during a change (`…_2`). With two, WECHATPAY_MERCHANT_SIGNING_SERIAL says which one
 * signs: a change of signer is always a deliberate configuration change, never a guess.
 */
export function readMerchantCertificates(read: EnvReader, now: Date): MerchantCertificates {
  const first = readCertificate(read, '', now);
  const hasSecond = ['WECHATPAY_MERCHANT_CERT_2', 'WECHATPAY_MERCHANT_PRIVATE_KEY_2'].some((name) => read.string(name) !== undefined);
  const signingSerial = read.string('WECHATPAY_MERCHANT_SIGNING_SERIAL')?.toUpperCase();
  if (!hasSecond) {
    if (signingSerial && signingSerial !== first.serialNo)
      read.problems.push(`WECHATPAY_MERCHANT_SIGNING_SERIAL ${signingSerial} is not the serial of WECHATPAY_MERCHANT_CERT`);
    return { signing: first, standby: [] };
  }
  const second = readCertificate(read, '_2', now);
  if (second.serialNo && second.serialNo === first.serialNo) read.problems.push('WECHATPAY_MERCHANT_CERT_2 is the same certificate as WECHATPAY_MERCHANT_CERT');
  if (!signingSerial) {
    read.problems.push('WECHATPAY_MERCHANT_SIGNING_SERIAL is required with two merchant certificates: the serial of the one that signs');
    return { signing: first, standby: [second] };
  }
  const signing = [first, second].find((certificate) => certificate.serialNo === signingSerial);
  if (!signing) read.problems.push(`WECHATPAY_MERCHANT_SIGNING_SERIAL ${signingSerial} is neither ${first.serialNo} nor ${second.serialNo}`);
  return signing === second ? { signing: second, standby: [first] } : { signing: first, standby: [second] };
}
