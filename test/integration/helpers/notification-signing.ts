import { createPrivateKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { SIGNATURE_PROBE_PREFIX, createNonce, responseSignatureMessage, signSha256WithRsa, unixSeconds } from '../../../src/wechatpay-sdk';
import type { TestStack } from './test-stack';

/** Signing notifications as WeChat Pay does, with the sandbox's keys, and the forgeries it must refuse. */

export type NotificationHeaders = Record<string, string>;

export interface SignOptions {
  /** Which of the sandbox's WeChat Pay keys signs; a KeyObject signs with a key WeChat Pay never had. */
  key?: 'public-key' | 'platform-certificate' | KeyObject;
  serial?: string;
  /** Default: the stack's clock. */
  timestamp?: string;
  /** Replaces the computed signature (forgeries, probes). */
  signature?: string;
}

/** `Wechatpay-*` headers over `timestamp\nnonce\nbody\n`, SHA256withRSA, as WeChat Pay signs notifications. */
export function signNotification(stack: TestStack, body: string, options: SignOptions = {}): NotificationHeaders {
  const { wechatPayPublicKey, platformCertificate } = stack.sandbox.credentials;
  const key = options.key ?? 'public-key';
  const privateKey =
    key === 'public-key'
      ? createPrivateKey(wechatPayPublicKey.privateKeyPem)
      : key === 'platform-certificate'
        ? createPrivateKey(platformCertificate.privateKeyPem)
        : key;
  const serial = options.serial ?? (key === 'platform-certificate' ? platformCertificate.serialNo : wechatPayPublicKey.id);
  const timestamp = options.timestamp ?? unixSeconds(stack.clock.now());
  const nonce = createNonce();
  return {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': options.signature ?? signSha256WithRsa(responseSignatureMessage(timestamp, nonce, body), privateKey),
    'Wechatpay-Serial': serial,
    'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
  };
}

/** A key pair WeChat Pay never issued. */
export function strangerKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

/** 256 random bytes in Base64: shaped like an RSA-2048 signature, made by nobody. */
export function forgedSignature(): string {
  return randomBytes(256).toString('base64');
}

export function probeSignature(): string {
  return `${SIGNATURE_PROBE_PREFIX}${randomBytes(192).toString('base64')}`;
}
