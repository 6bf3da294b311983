import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadConfigOrExit, type AppConfig, type WechatPaySettings } from './config/env';
import { createLogger } from './observability/logger';
import { embeddedPostgresUrl } from './persistence/embedded-postgres';
import { startJobWorker } from './start-job-worker';

/**
 * In sandbox mode the worker talks to the sandbox that `npm start` serves (same DATA_DIR, WECHAT_SANDBOX_PORT):
 * the sandbox keeps its transactions in memory, so a second one would know none of them.
 */
async function wechatPaySettings(config: AppConfig): Promise<WechatPaySettings> {
  if (config.wechat) return config.wechat;
  const { loadOrCreateSandboxCredentials, sandboxWechatPaySettings } = await import('../sandbox/index.js');
  const credentials = await loadOrCreateSandboxCredentials(join(config.dataDir, 'sandbox'));
  const baseUrl = `http://${config.host}:${config.sandboxPort}`;
  return sandboxWechatPaySettings(credentials, { baseUrl, notifyUrl: `http://${config.host}:${config.port}/payments/wechat/notify`, keyMode: 'public-key' });
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel).child({ role: 'worker' });
  // The embedded database belongs to the `npm start` process that runs it; the worker connects to it.
  const databaseUrl = config.databaseUrl ?? embeddedPostgresUrl(config.embeddedPostgresPort);
  try {
    // The worker issues no tokens: any secret does.
    const jwtSecret = config.jwtSecret ?? randomBytes(32).toString('base64url');
    const worker = await startJobWorker({ config, logger, databaseUrl, jwtSecret, wechatPaySettings: await wechatPaySettings(config) });
    let stopping = false;
    const shutdown = (reason: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ reason }, 'worker shutting down');
      worker.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'worker shutdown failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
    logger.info({ mode: config.mode }, 'job worker running');
  } catch (err) {
    logger.fatal({ err }, 'worker start-up failed');
    process.exit(1);
  }
}

void main();
