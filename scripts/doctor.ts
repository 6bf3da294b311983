/**
 * `npm run doctor`: checks the live WeChat Pay settings with one signed, harmless call per merchant certificate
 * (a query of an out_trade_no that does not exist) and says what the answer means. Exit code 0 when WeChat Pay
 * answered as expected, 1 otherwise. Without merchant settings it checks the local sandbox the same way.
 * WECHATPAY_STARTUP_CHECK=true runs the same check when the API starts.
 */
import { join } from 'node:path';
import { ConfigError, loadConfig, type AppConfig, type WechatPaySettings } from '../src/config/env';
import { formatDoctorReport, runWechatPayDoctor } from '../src/operations/wechat-pay-doctor';

async function sandboxSettings(config: AppConfig): Promise<{ settings: WechatPaySettings; stop: () => Promise<void> }> {
  const { loadOrCreateSandboxCredentials, startSandbox } = await import('../sandbox/index.js');
  const sandbox = await startSandbox({ credentials: loadOrCreateSandboxCredentials(join(config.dataDir, 'sandbox')), port: 0 });
  const settings = sandbox.wechatPaySettings({ notifyUrl: `http://${config.host}:${config.port}/payments/wechat/notify`, keyMode: 'public-key' });
  return { settings, stop: () => sandbox.close() };
}

async function main(): Promise<number> {
  const config = loadConfig();
  const target = config.wechat ? { settings: config.wechat, stop: async () => {} } : await sandboxSettings(config);
  try {
    process.stdout.write(
      `WeChat Pay at ${target.settings.payBaseUrl}, merchant ${target.settings.mchId}${config.wechat ? '' : ' (sandbox mode: no merchant settings)'}\n`,
    );
    const report = await runWechatPayDoctor(target.settings);
    process.stdout.write(`${formatDoctorReport(report)}\n`);
    return report.ok ? 0 : 1;
  } finally {
    await target.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof ConfigError || err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
