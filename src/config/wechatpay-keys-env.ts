import { X509Certificate, createPublicKey } from 'node:crypto';
import type { EnvReader } from './env-reader';

export interface WechatPayKeys {
  /** `PUB_KEY_ID_…` and `pub_key.pem`; the first is the one requests name in `Wechatpay-Serial`. */
  wechatPayPublicKeys: { id: string; pem: string }[];
  /** Platform certificate mode, keyed by certificate serial. */
  platformCertificates: { serial: string; pem: string }[];
}

const splitList = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);

function readPublicKey(read: EnvReader, name: string, id: string, value: string): { id: string; pem: string } {
  if (!id.startsWith('PUB_KEY_ID_')) read.problems.push(`${name}: the key id must start with PUB_KEY_ID_, got "${id.slice(0, 40)}"`);
  const pem = read.pem(name, value);
  read.check(name, () => createPublicKey(pem).asymmetricKeyType === 'rsa', `key ${id.slice(0, 40)} is not an RSA public key`);
  return { id, pem };
}

/** `WECHATPAY_PUBLIC_KEYS=PUB_KEY_ID_new=/path/new.pem,PUB_KEY_ID_old=/path/old.pem`, then the single-key variables. */
function readPublicKeys(read: EnvReader): WechatPayKeys['wechatPayPublicKeys'] {
  const keys = splitList(read.string('WECHATPAY_PUBLIC_KEYS')).map((entry) => {
    const separator = entry.indexOf('=');
    if (separator < 1) read.problems.push(`WECHATPAY_PUBLIC_KEYS entries are PUB_KEY_ID_…=<PEM or path>; "${entry.slice(0, 40)}" has no "="`);
    return readPublicKey(read, 'WECHATPAY_PUBLIC_KEYS', entry.slice(0, Math.max(0, separator)), entry.slice(separator + 1));
  });
  const singleId = read.string('WECHATPAY_PUBLIC_KEY_ID');
  const singleValue = read.string('WECHATPAY_PUBLIC_KEY');
  if (singleId || singleValue) {
    if (!singleId?.startsWith('PUB_KEY_ID_')) read.problems.push('WECHATPAY_PUBLIC_KEY_ID must start with PUB_KEY_ID_ when WECHATPAY_PUBLIC_KEY is set');
    const pem = read.pem('WECHATPAY_PUBLIC_KEY', singleValue ?? read.required('WECHATPAY_PUBLIC_KEY'));
    read.check('WECHATPAY_PUBLIC_KEY', () => createPublicKey(pem).asymmetricKeyType === 'rsa', 'is not an RSA public key');
    if (!keys.some((key) => key.id === singleId)) keys.push({ id: singleId ?? '', pem });
  }
  const ids = keys.map((key) => key.id);
  const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
  if (repeated.length > 0) read.problems.push(`WECHATPAY_PUBLIC_KEYS names ${repeated.join(', ')} more than once`);
  return keys;
}

function readPlatformCertificates(read: EnvReader): WechatPayKeys['platformCertificates'] {
  return splitList(read.string('WECHATPAY_PLATFORM_CERTS')).map((entry) => {
    const pem = read.pem('WECHATPAY_PLATFORM_CERTS', entry);
    let serial = '';
    read.check(
      'WECHATPAY_PLATFORM_CERTS',
      () => Boolean((serial = new X509Certificate(pem).serialNumber.toUpperCase())),
      `entry "${entry.slice(0, 40)}" is not a readable X.509 certificate`,
    );
    return { serial, pem };
  });
}

/** Several of each kind may be set at once: old and new side by side while WeChat Pay rotates its keys. */
export function readWechatPayKeys(read: EnvReader): WechatPayKeys {
  const keys = { wechatPayPublicKeys: readPublicKeys(read), platformCertificates: readPlatformCertificates(read) };
  if (keys.wechatPayPublicKeys.length === 0 && keys.platformCertificates.length === 0) {
    read.problems.push(
      'set WECHATPAY_PUBLIC_KEY with WECHATPAY_PUBLIC_KEY_ID (or WECHATPAY_PUBLIC_KEYS), or WECHATPAY_PLATFORM_CERTS, or both: WeChat Pay responses cannot be verified otherwise',
    );
  }
  return keys;
}
