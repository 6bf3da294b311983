/**
 * What the SDK reports, and how: the application plugs its logger and metrics in here. pino's logger fits
 * `SdkLogger` as it is; anything with `info` and `warn` taking (fields, message) does.
 */
export interface SdkLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

/** One finished call: `outcome` is `success` or a failure kind (`timeout`, `api_error`, …). */
export interface CallOutcome {
  operation: string;
  outcome: string;
}

export interface SdkHooks {
  logger?: SdkLogger;
  onCall?: (call: CallOutcome) => void;
}

export const silentLogger: SdkLogger = { info: () => {}, warn: () => {} };

/** `oUpF8uMuAJO_M2pxb1Q9zNjWeS6o` → `oUpF…eS6o`: enough to correlate a log line, not enough to identify. */
export function maskOpenid(openid: string | undefined): string | undefined {
  if (!openid) return openid;
  return openid.length <= 8 ? '****' : `${openid.slice(0, 4)}…${openid.slice(-4)}`;
}
