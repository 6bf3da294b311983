export { createSandboxCredentials, withRotatedKeys, type SandboxCredentials } from './credentials/sandbox-credentials';
export { loadOrCreateSandboxCredentials } from './credentials/persist-sandbox-credentials';
export { sandboxWechatPaySettings, type SandboxKeyMode, type SandboxSettingsOptions } from './credentials/sandbox-settings';
export { startSandbox, WECHAT_NOTIFICATION_SCHEDULE_MS, type RunningSandbox, type SandboxOptions } from './sandbox-server';
export { deriveOpenid, travelerOfCode } from './login-api/openid-from-code';
export type { SigningMode } from './pay-api/sign-sandbox-response';
