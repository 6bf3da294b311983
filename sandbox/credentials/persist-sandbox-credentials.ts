import { randomUUID } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSandboxCredentials, type SandboxCredentials } from './sandbox-credentials';

const CREDENTIALS_FILE = 'credentials.json';

const REQUIRED_STRINGS = [
  'appId',
  'appSecret',
  'mchId',
  'apiV3Key',
  'issuerCertificatePem',
  'merchant.serialNo',
  'merchant.privateKeyPem',
  'merchant.publicKeyPem',
  'merchant.certificatePem',
  'wechatPayPublicKey.id',
  'wechatPayPublicKey.privateKeyPem',
  'wechatPayPublicKey.publicKeyPem',
  'platformCertificate.serialNo',
  'platformCertificate.privateKeyPem',
  'platformCertificate.certificatePem',
];

function readPath(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), value);
}

function readCredentials(file: string): SandboxCredentials {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const missing = REQUIRED_STRINGS.filter((path) => typeof readPath(parsed, path) !== 'string');
  if (missing.length > 0) throw new Error(`${file} is not a sandbox credentials file (missing ${missing.join(', ')}); delete it to generate new credentials`);
  return parsed as SandboxCredentials;
}

/** The files a merchant gets from WeChat, named as WeChat names them, so the API can be configured as in production. */
function writeMerchantFiles(dir: string, credentials: SandboxCredentials): void {
  writeFileSync(join(dir, 'apiclient_key.pem'), credentials.merchant.privateKeyPem, { mode: 0o600 });
  writeFileSync(join(dir, 'apiclient_cert.pem'), credentials.merchant.certificatePem, { mode: 0o644 });
  writeFileSync(join(dir, 'pub_key.pem'), credentials.wechatPayPublicKey.publicKeyPem, { mode: 0o644 });
  writeFileSync(join(dir, 'platform_cert.pem'), credentials.platformCertificate.certificatePem, { mode: 0o644 });
}

/**
 * Reuses `<dir>/credentials.json`, or generates and stores new credentials. Publishing goes through a hard link so
 * two processes starting at once (API + sandbox, Jest workers) end up with the same credentials.
 */
export function loadOrCreateSandboxCredentials(dir: string): SandboxCredentials {
  const file = join(dir, CREDENTIALS_FILE);
  if (existsSync(file)) return readCredentials(file);
  const credentials = createSandboxCredentials();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temporary = join(dir, `.${CREDENTIALS_FILE}.${randomUUID()}.tmp`);
  writeFileSync(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readCredentials(file);
  } finally {
    unlinkSync(temporary);
  }
  writeMerchantFiles(dir, credentials);
  return credentials;
}
