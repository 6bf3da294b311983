import { X509Certificate } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/observability/logger';
import { createMetrics } from '../../../src/observability/metrics';
import { createPlatformCertificateRefresh } from '../../../src/payments/refresh-platform-certificates';
import { WechatPayTimeoutError } from '../../../src/wechatpay-sdk';
import { PLATFORM_SERIAL, testCredentials } from '../wechatpay/helpers/test-credentials';

const DAY_MS = 86_400_000;
const { platform } = testCredentials();
const expiresAt = new Date(new X509Certificate(platform.certificatePem).validTo);

function refreshAt(now: Date) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const metrics = createMetrics();
  const refresh = createPlatformCertificateRefresh({
    download: () => Promise.reject(new WechatPayTimeoutError('download_certificates', 1500)),
    keys: { publicKeys: new Map(), platformCertificates: new Map() },
    configured: [{ serial: PLATFORM_SERIAL, pem: platform.certificatePem }],
    metrics,
    logger: createLogger('info', destination),
    clock: () => now,
    intervalSeconds: 3600,
  });
  return { refresh, lines, metrics };
}

const expiryWarnings = (lines: Record<string, unknown>[]) => lines.filter((line) => String(line.msg).includes('expires within 30 days'));

describe('platform certificate expiry', () => {
  describe('given the configured certificate expires in 10 days', () => {
    it('warns with its serial and days left, and the gauge reads the seconds left', async () => {
      const { refresh, lines, metrics } = refreshAt(new Date(expiresAt.getTime() - 10 * DAY_MS));
      expect(await refresh.refresh()).toBe('failed');
      expect(expiryWarnings(lines)).toEqual([expect.objectContaining({ serialNo: PLATFORM_SERIAL, daysLeft: 10, source: 'configured' })]);
      const gauge = await metrics.platformCertificateExpiry.get();
      expect(gauge.values).toEqual([expect.objectContaining({ labels: { serial: PLATFORM_SERIAL, source: 'configured' }, value: 10 * 86_400 })]);
      expect((await metrics.platformCertificateDownloads.get()).values).toEqual([expect.objectContaining({ labels: { outcome: 'timeout' }, value: 1 })]);
    });
  });

  describe('given the configured certificate expires in 31 days', () => {
    it('does not warn', async () => {
      const { refresh, lines } = refreshAt(new Date(expiresAt.getTime() - 31 * DAY_MS));
      await refresh.refresh();
      expect(expiryWarnings(lines)).toEqual([]);
    });
  });
});
