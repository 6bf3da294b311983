import { createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { SIGNATURE_PROBE_PREFIX, createNonce, responseSignatureMessage, signSha256WithRsa, unixSeconds } from '../../src/wechatpay-sdk';
import { generateDigits, generateHex } from './generate-wechat-ids';
import type { SandboxCredentials, SandboxPlatformCertificate } from '../credentials/sandbox-credentials';

/** Which key WeChat Pay signs with; `alternate` flips between both as during a public-key migration. */
export type SigningMode = 'public-key' | 'platform-certificate' | 'alternate';

export type SignatureFault = 'bad-signature' | 'probe' | 'stale-timestamp' | 'unknown-serial';

export interface SignOptions {
  /** The request's `Wechatpay-Serial`. */
  requestedSerial?: string;
  fault?: SignatureFault;
}

interface SigningKey {
  serial: string;
  privateKey: KeyObject;
}

/** Beyond the ±300 s every verifier accepts. */
const STALE_BY_MS = 10 * 60 * 1000;

export class ResponseSigner {
  private readonly publicKey: SigningKey;
  private platformCertificate: SigningKey;
  private flipped = false;

  /** With `rotated`, WeChat Pay signs with its new keys (`credentials.rotated`), as after a key rotation. */
  constructor(
    credentials: SandboxCredentials,
    readonly mode: SigningMode,
    private readonly clock: () => Date,
    rotated = false,
  ) {
    const keys = rotated && credentials.rotated ? credentials.rotated : credentials;
    this.publicKey = { serial: keys.wechatPayPublicKey.id, privateKey: createPrivateKey(keys.wechatPayPublicKey.privateKeyPem) };
    this.platformCertificate = {
      serial: keys.platformCertificate.serialNo,
      privateKey: createPrivateKey(keys.platformCertificate.privateKeyPem),
    };
  }

  /** The serial of the platform certificate answers and notifications are signed with (in platform-certificate modes). */
  get platformCertificateSerial(): string {
    return this.platformCertificate.serial;
  }

  /** WeChat Pay switching to a new platform certificate: what it signs from now on. */
  signWithPlatformCertificate(certificate: SandboxPlatformCertificate): void {
    this.platformCertificate = { serial: certificate.serialNo, privateKey: createPrivateKey(certificate.privateKeyPem) };
  }

  /** The `Wechatpay-*` headers for this exact body (empty string for a 204). */
  sign(body: string, options: SignOptions = {}): Record<string, string> {
    const key = this.chooseKey(options.requestedSerial);
    const timestamp = unixSeconds(new Date(this.clock().getTime() - (options.fault === 'stale-timestamp' ? STALE_BY_MS : 0)));
    const nonce = createNonce();
    // a bad signature is one over a body that differs from the one sent, as if the body were tampered with in transit
    const signedBody = options.fault === 'bad-signature' ? `${body} ` : body;
    const signature =
      options.fault === 'probe'
        ? `${SIGNATURE_PROBE_PREFIX}${randomBytes(192).toString('base64')}`
        : signSha256WithRsa(responseSignatureMessage(timestamp, nonce, signedBody), key.privateKey);
    return {
      'Wechatpay-Timestamp': timestamp,
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Signature': signature,
      'Wechatpay-Serial': options.fault === 'unknown-serial' ? unknownSerialLike(key.serial) : key.serial,
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    };
  }

  private chooseKey(requestedSerial: string | undefined): SigningKey {
    if (this.mode === 'public-key') return this.publicKey;
    if (this.mode === 'platform-certificate') return this.platformCertificate;
    // During a migration WeChat answers with the key the request names in Wechatpay-Serial (WxJava PR #3548), otherwise either one.
    if (requestedSerial === this.publicKey.serial) return this.publicKey;
    if (requestedSerial === this.platformCertificate.serial) return this.platformCertificate;
    this.flipped = !this.flipped;
    return this.flipped ? this.publicKey : this.platformCertificate;
  }
}

/** A serial of the same kind the verifier has never been given; the signature itself stays valid for the real key. */
function unknownSerialLike(serial: string): string {
  return serial.startsWith('PUB_KEY_ID_') ? `PUB_KEY_ID_${generateDigits(34)}` : generateHex(20).toUpperCase();
}
