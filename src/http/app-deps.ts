import type { TravelerTokens } from '../auth/traveler-tokens';
import type { WechatLoginClient } from '../auth/wechat-login-client';
import type { AppConfig, WechatPaySettings } from '../config/env';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { Orm } from '../persistence/orm';
import type { WechatPayGateway } from '../wechatpay/wechatpay-gateway';

/** Everything the HTTP layer hands to use cases; built once in `main.ts` (or by a test). */
export interface AppDeps {
  config: AppConfig;
  orm: Orm;
  logger: Logger;
  metrics: Metrics;
  /** Injected so tests can move time (seat locks, the 10-minute session window). */
  clock: () => Date;
  tokens: TravelerTokens;
  wechatLogin: WechatLoginClient;
  wechatPaySettings: WechatPaySettings;
  wechatPay: WechatPayGateway;
}
