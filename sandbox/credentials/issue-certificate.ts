import { randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface CertificateSubject {
  commonName: string;
  organization: string;
  organizationalUnit?: string;
}

export interface IssueCertificateOptions {
  subject: CertificateSubject;
  subjectPublicKeyPem: string;
  issuer: CertificateSubject;
  issuerPrivateKeyPem: string;
  isAuthority?: boolean;
  notBefore: Date;
  validYears: number;
}

export interface IssuedCertificate {
  certificatePem: string;
  /** Upper-case hex, as WeChat Pay writes serials in `serial_no` and `Wechatpay-Serial`. */
  serialNo: string;
}

/** 40 hex digits like WeChat's serials; the first byte stays in 0x10–0x7f so DER keeps it positive and all 40 digits. */
function generateSerialNumber(): string {
  const bytes = randomBytes(20);
  bytes[0] = 0x10 + ((bytes[0] ?? 0) % 0x70);
  return bytes.toString('hex').toUpperCase();
}

function toAttributes(name: CertificateSubject): forge.pki.CertificateField[] {
  const attributes: forge.pki.CertificateField[] = [
    { name: 'countryName', value: 'CN' },
    { name: 'organizationName', value: name.organization },
    { name: 'commonName', value: name.commonName },
  ];
  if (name.organizationalUnit) attributes.push({ name: 'organizationalUnitName', value: name.organizationalUnit });
  return attributes;
}

/** Issues an X.509 v3 certificate signed with SHA-256 by the issuer's key (self-signed when the subject is the issuer). */
export function issueCertificate(options: IssueCertificateOptions): IssuedCertificate {
  const certificate = forge.pki.createCertificate();
  const serialNo = generateSerialNumber();
  certificate.serialNumber = serialNo;
  certificate.publicKey = forge.pki.publicKeyFromPem(options.subjectPublicKeyPem);
  certificate.validity.notBefore = options.notBefore;
  certificate.validity.notAfter = new Date(options.notBefore.getTime());
  certificate.validity.notAfter.setUTCFullYear(options.notBefore.getUTCFullYear() + options.validYears);
  certificate.setSubject(toAttributes(options.subject));
  certificate.setIssuer(toAttributes(options.issuer));
  certificate.setExtensions(
    options.isAuthority
      ? [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
        ]
      : [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, keyEncipherment: true, critical: true },
        ],
  );
  certificate.sign(forge.pki.privateKeyFromPem(options.issuerPrivateKeyPem), forge.md.sha256.create());
  return { certificatePem: forge.pki.certificateToPem(certificate), serialNo };
}
