import { AppError, wechatLoginFailed, wechatTimeout, wechatUnavailable } from '../errors/app-error';
import type { Logger } from '../observability/logger';

export interface WechatSession {
  openid: string;
  sessionKey: string;
}

/** The port login uses: `auth.code2Session` of the Mini Program API. */
export interface WechatLoginClient {
  exchangeCode(code: string): Promise<WechatSession>;
}

interface Code2SessionAnswer {
  openid?: string;
  session_key?: string;
  errcode?: number;
  errmsg?: string;
}

// 40029 invalid code, 40163 code already used, 40226 risky user: the code is refused, not WeChat broken.
const REFUSED_CODE_ERRORS = new Set([40029, 40163, 40226]);

export function createWechatLoginClient(
  settings: { appId: string; appSecret: string; wechatApiBaseUrl: string; timeoutMs: number },
  logger: Logger,
): WechatLoginClient {
  return {
    async exchangeCode(code) {
      const url = new URL('/sns/jscode2session', settings.wechatApiBaseUrl);
      url.search = new URLSearchParams({ appid: settings.appId, secret: settings.appSecret, js_code: code, grant_type: 'authorization_code' }).toString();
      let answer: Code2SessionAnswer;
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(settings.timeoutMs) });
        if (!response.ok) {
          logger.error({ operation: 'jscode2session', status: response.status }, 'WeChat login call failed');
          throw wechatUnavailable();
        }
        answer = (await response.json()) as Code2SessionAnswer;
      } catch (err) {
        if (err instanceof AppError) throw err;
        const timedOut = err instanceof Error && err.name === 'TimeoutError';
        logger.error({ err, operation: 'jscode2session' }, 'WeChat login call failed');
        throw timedOut ? wechatTimeout() : wechatUnavailable();
      }
      if (answer.errcode && REFUSED_CODE_ERRORS.has(answer.errcode)) throw wechatLoginFailed();
      if (answer.errcode || !answer.openid || !answer.session_key) {
        logger.error({ operation: 'jscode2session', errcode: answer.errcode, errmsg: answer.errmsg }, 'WeChat login refused');
        throw wechatUnavailable();
      }
      return { openid: answer.openid, sessionKey: answer.session_key };
    },
  };
}
