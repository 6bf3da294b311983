import { X509Certificate } from 'node:crypto';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { WechatPayError, type PlatformCertificate, type WechatPayVerificationKeys } from '../wechatpay-sdk';

/** WeChat Pay lists a new certificate 24 h before it signs with it; we warn well before the old one runs out. */
export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface KnownCertificate {
  serialNo: string;
  expiresAt: Date;
  source: 'configured' | 'downloaded';
}

export interface PlatformCertificateRefreshDeps {
  download: () => Promise<PlatformCertificate[]>;
  /** The verifier's key set: downloaded certificates are `set` into it; the configured ones are never removed. */
  keys: WechatPayVerificationKeys;
  configured: readonly { serial: string; pem: string }[];
  metrics: Metrics;
  logger: Logger;
  clock: () => Date;
  intervalSeconds: number;
}

export type RefreshOutcome = 'refreshed' | 'failed' | 'not_used';

export interface PlatformCertificateRefresh {
  /** Downloads now. Never throws: on failure the keys stay as they were (the configured ones are the fallback). */
  refresh(): Promise<RefreshOutcome>;
  /** The first download, then one every `intervalSeconds`. */
  start(): Promise<void>;
  /** Stops the timer and waits for a download under way. */
  stop(): Promise<void>;
  known(): KnownCertificate[];
}

function knownFromConfiguration(configured: PlatformCertificateRefreshDeps['configured']): Map<string, KnownCertificate> {
  const known = new Map<string, KnownCertificate>();
  for (const { serial, pem } of configured) {
    const certificate = new X509Certificate(pem);
    const serialNo = (serial || certificate.serialNumber).toUpperCase();
    known.set(serialNo, { serialNo, expiresAt: new Date(certificate.validTo), source: 'configured' });
  }
  return known;
}

function warnOfExpiry(deps: PlatformCertificateRefreshDeps, known: readonly KnownCertificate[]): void {
  const now = deps.clock().getTime();
  const latestExpiry = Math.max(...known.map((certificate) => certificate.expiresAt.getTime()));
  for (const certificate of known) {
    const daysLeft = (certificate.expiresAt.getTime() - now) / DAY_MS;
    if (daysLeft > EXPIRY_WARNING_DAYS) continue;
    const fields = {
      serialNo: certificate.serialNo,
      source: certificate.source,
      expiresAt: certificate.expiresAt.toISOString(),
      daysLeft: Math.floor(daysLeft),
    };
    const replaced = certificate.expiresAt.getTime() < latestExpiry;
    deps.logger.warn({ ...fields, replaced }, `WeChat Pay platform certificate expires within ${EXPIRY_WARNING_DAYS} days`);
  }
}

/**
 * Keeps the platform certificates fresh on this instance: at start-up and every `intervalSeconds` (WeChat: "less
 * than 12 hours"). A per-instance timer, not a job on the queue: a job runs once across instances, but every
 * instance verifies answers and notifications with the keys in its own memory, including one with JOBS=off.
 */
export function createPlatformCertificateRefresh(deps: PlatformCertificateRefreshDeps): PlatformCertificateRefresh {
  const known = knownFromConfiguration(deps.configured);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<RefreshOutcome> | undefined;
  deps.metrics.sources.platformCertificateExpiries = () =>
    [...known.values()].map(({ serialNo, source, expiresAt }) => ({
      serial: serialNo,
      source,
      secondsLeft: Math.round((expiresAt.getTime() - deps.clock().getTime()) / 1000),
    }));

  function store(downloaded: readonly PlatformCertificate[]): void {
    for (const certificate of downloaded) {
      deps.keys.platformCertificates.set(certificate.serialNo, certificate.publicKey);
      const source = known.get(certificate.serialNo)?.source ?? 'downloaded';
      known.set(certificate.serialNo, { serialNo: certificate.serialNo, expiresAt: certificate.expiresAt, source });
    }
  }

  async function download(): Promise<RefreshOutcome> {
    try {
      const downloaded = await deps.download();
      store(downloaded);
      deps.metrics.platformCertificateDownloads.inc({ outcome: 'success' });
      deps.logger.info({ serialNos: downloaded.map((certificate) => certificate.serialNo) }, 'WeChat Pay platform certificates downloaded');
      return 'refreshed';
    } catch (err) {
      const outcome = err instanceof WechatPayError ? err.kind : 'unexpected_error';
      deps.metrics.platformCertificateDownloads.inc({ outcome });
      deps.logger.warn(
        { outcome, error: (err as Error).message, kept: [...known.keys()] },
        'WeChat Pay platform certificate download failed; keeping the certificates we have',
      );
      return 'failed';
    } finally {
      warnOfExpiry(deps, [...known.values()]);
    }
  }

  const refresh = () => {
    running ??= download().finally(() => (running = undefined));
    return running;
  };

  return {
    refresh,
    async start() {
      await refresh();
      timer = setInterval(() => void refresh(), deps.intervalSeconds * 1000);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
    known: () => [...known.values()],
  };
}

/** Public-key-only merchants have no platform certificates to download (WeChat answers RESOURCE_NOT_EXISTS). */
export const noPlatformCertificateRefresh: PlatformCertificateRefresh = {
  refresh: async () => 'not_used',
  start: async () => {},
  stop: async () => {},
  known: () => [],
};
