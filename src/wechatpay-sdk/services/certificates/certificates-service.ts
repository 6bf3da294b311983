import type { WechatPaySigner } from '../../core/auth/merchant-signer';
import type { WechatPayVerificationKeys } from '../../core/auth/verifier';
import type { SdkHooks } from '../../core/hooks';
import { WechatPayHttpTransport } from '../../core/transport/http-transport';
import { DEFAULT_RETRY_POLICY, retryWechatPayCall, sleep, type RetryPolicy } from '../../core/transport/retry';
import { readPlatformCertificates, withCertificates, type PlatformCertificate } from './read-platform-certificates';

export interface CertificatesServiceOptions {
  baseUrl: string;
  signer: WechatPaySigner;
  /** The keys already trusted (configured, or downloaded before). Read, never changed: the caller decides what to keep. */
  keys: WechatPayVerificationKeys;
  /** Decrypts the certificates (AEAD_AES_256_GCM). */
  apiV3Key: string;
  timeoutMs: number;
  clock?: () => Date;
  retry?: RetryPolicy;
  wait?: (ms: number) => Promise<void>;
  hooks?: SdkHooks;
}

export interface CertificatesService {
  /** `GET /v3/certificates`: the platform certificates WeChat Pay lists now, decrypted and verified. */
  downloadPlatformCertificates(): Promise<PlatformCertificate[]>;
}

/**
 * Platform certificate download (platform-certificate and combined modes; a public-key-only merchant gets
 * RESOURCE_NOT_EXISTS). The answer is signed by a platform certificate, possibly one it is the first to deliver:
 * as WeChat's CertificateDownloader does for the very first download, the certificates are decrypted first (the
 * APIv3 key authenticates them), then the answer's signature must verify with a key already trusted or with one of
 * those certificates. An answer that fails either check delivers nothing.
 */
export function createCertificatesService(options: CertificatesServiceOptions): CertificatesService {
  const clock = options.clock ?? (() => new Date());
  // No Wechatpay-Serial: the request names no public key, so WeChat Pay answers with its platform certificate.
  const transport = new WechatPayHttpTransport({ ...options, clock, wechatPayPublicKeyId: undefined });
  const operation = 'download_certificates';

  return {
    async downloadPlatformCertificates() {
      return retryWechatPayCall(
        async (attempt) => {
          let certificates: PlatformCertificate[] = [];
          await transport.send({
            operation,
            method: 'GET',
            path: '/v3/certificates',
            logContext: { attempt },
            verificationKeys: (response) => {
              certificates = readPlatformCertificates(operation, response, options.apiV3Key, clock());
              return withCertificates(options.keys, certificates);
            },
          });
          return certificates;
        },
        options.retry ?? DEFAULT_RETRY_POLICY,
        options.wait ?? sleep,
      );
    },
  };
}
