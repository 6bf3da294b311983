/**
 * The sandbox WeChat Pay on its own, for frontend developers: `npm run sandbox`.
 * Port from WECHAT_SANDBOX_PORT (default 3100); keys kept under <DATA_DIR>/sandbox and reused on the next start.
 * Optional: WECHAT_SANDBOX_SIGNING_MODE=public-key|platform-certificate|alternate,
 * WECHAT_SANDBOX_TIME_SCALE=0.01 to shorten the notification retry schedule.
 */
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../src/config/env';
import { createLogger } from '../src/observability/logger';
import { loadOrCreateSandboxCredentials, startSandbox, type SigningMode } from '../sandbox';

const SIGNING_MODES: readonly SigningMode[] = ['public-key', 'platform-certificate', 'alternate'];

function readSigningMode(): SigningMode {
  const value = process.env.WECHAT_SANDBOX_SIGNING_MODE ?? 'public-key';
  if (!(SIGNING_MODES as readonly string[]).includes(value))
    throw new ConfigError([`WECHAT_SANDBOX_SIGNING_MODE must be one of ${SIGNING_MODES.join(', ')}, got "${value}"`]);
  return value as SigningMode;
}

function readTimeScale(): number {
  const value = Number(process.env.WECHAT_SANDBOX_TIME_SCALE ?? '1');
  if (!Number.isFinite(value) || value <= 0)
    throw new ConfigError([`WECHAT_SANDBOX_TIME_SCALE must be a positive number, got "${process.env.WECHAT_SANDBOX_TIME_SCALE}"`]);
  return value;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel).child({ component: 'sandbox' });
  const keyDir = resolve(config.dataDir, 'sandbox');
  const credentials = loadOrCreateSandboxCredentials(keyDir);
  const sandbox = await startSandbox({ credentials, port: config.sandboxPort, logger, signingMode: readSigningMode(), timeScale: readTimeScale() });
  process.stdout.write(
    [
      `Sandbox WeChat Pay listening on ${sandbox.url} (signing with: ${sandbox.signingMode})`,
      `  appid ${credentials.appId}   mchid ${credentials.mchId}`,
      `  merchant serial ${credentials.merchant.serialNo}`,
      `  WeChat Pay public key id ${credentials.wechatPayPublicKey.id}; platform certificate serial ${credentials.platformCertificate.serialNo}`,
      `  keys: ${keyDir} (credentials.json, apiclient_key.pem, apiclient_cert.pem, pub_key.pem, platform_cert.pem)`,
      `  control API: ${sandbox.url}/sandbox/info, /sandbox/calls, /sandbox/request-payment, /sandbox/faults, /sandbox/notifications`,
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'sandbox stopping');
    void sandbox.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
