import type { WechatPaySettings } from '../config/env';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { createCertificatesService, createMerchantSigner, type CallOutcome, type WechatPayVerificationKeys } from '../wechatpay-sdk';
import { createPlatformCertificateRefresh, noPlatformCertificateRefresh, type PlatformCertificateRefresh } from './refresh-platform-certificates';

export interface CertificateRefreshInput {
  settings: WechatPaySettings;
  /** The key set the JSAPI service and the webhook verify with: the same Map objects, so downloads reach both. */
  keys: WechatPayVerificationKeys;
  metrics: Metrics;
  logger: Logger;
  clock: () => Date;
  intervalSeconds: number;
}

/** Platform-certificate and combined modes download certificates; public-key-only merchants have none to download. */
export function createCertificateRefreshFromSettings(input: CertificateRefreshInput): PlatformCertificateRefresh {
  const { settings, keys, metrics, clock } = input;
  if (settings.platformCertificates.length === 0) return noPlatformCertificateRefresh;
  const logger = input.logger.child({ component: 'platform-certificates' });
  const service = createCertificatesService({
    baseUrl: settings.payBaseUrl,
    signer: createMerchantSigner(settings),
    keys,
    apiV3Key: settings.apiV3Key,
    timeoutMs: settings.timeoutMs,
    clock,
    hooks: { logger: input.logger.child({ component: 'wechatpay' }), onCall: (call: CallOutcome) => metrics.wechatPayCalls.inc({ ...call }) },
  });
  return createPlatformCertificateRefresh({
    download: () => service.downloadPlatformCertificates(),
    keys,
    configured: settings.platformCertificates,
    metrics,
    logger,
    clock,
    intervalSeconds: input.intervalSeconds,
  });
}
