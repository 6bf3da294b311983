export { createSandboxCredentials, type SandboxCredentials } from './sandbox-credentials';
export { loadOrCreateSandboxCredentials } from './persist-sandbox-credentials';
export { sandboxWechatPaySettings, type SandboxKeyMode, type SandboxSettingsOptions } from './sandbox-settings';
export { startSandbox, WECHAT_NOTIFICATION_SCHEDULE_MS, type RunningSandbox, type SandboxOptions } from './sandbox-server';
export { deriveOpenid, travelerOfCode } from './openid-from-code';
export type { SigningMode } from './sign-sandbox-response';
