import { expectSuccess, sendApiRequest, type ApiAnswer, type ApiCall } from './api-request';
import type { LoginResponse } from './contract-types';
import { NETWORK_ERROR, PaymentApiError } from './payment-api-error';
import type { TokenStorage, WxLike } from './wx-like';

export const TOKEN_KEY = 'wechat-payment-session.token';

export interface AuthSettings {
  wx: WxLike;
  baseUrl: string;
  storage: TokenStorage;
  requestTimeoutMs: number;
}

/** A fresh one-time code from wx.login (valid 5 minutes, single use). */
function wxLoginCode(wx: WxLike): Promise<string> {
  return new Promise((resolve, reject) => {
    wx.login({
      success: (result) => (result.code ? resolve(result.code) : reject(new PaymentApiError(NETWORK_ERROR, `wx.login gave no code: ${result.errMsg ?? ''}`))),
      fail: (error) => reject(new PaymentApiError(NETWORK_ERROR, `wx.login failed: ${error.errMsg}`)),
    });
  });
}

/**
 * Login and the token: wx.login → POST /auth/wechat/login → storage. A traveler route answering 401 means the
 * token expired or was revoked: log in again once and repeat the same request.
 */
export function createAuthSession(settings: AuthSettings) {
  const { wx, baseUrl, storage, requestTimeoutMs } = settings;

  async function login(): Promise<string> {
    const code = await wxLoginCode(wx);
    const answer = await sendApiRequest(wx, baseUrl, { method: 'POST', path: '/auth/wechat/login', body: { code } }, requestTimeoutMs);
    const { token } = expectSuccess<LoginResponse>(answer, 200);
    storage.set(TOKEN_KEY, token);
    return token;
  }

  async function currentToken(): Promise<string> {
    return storage.get(TOKEN_KEY) ?? login();
  }

  async function send(call: Omit<ApiCall, 'token'>): Promise<ApiAnswer> {
    const answer = await sendApiRequest(wx, baseUrl, { ...call, token: await currentToken() }, requestTimeoutMs);
    if (answer.status !== 401) return answer;
    storage.remove(TOKEN_KEY);
    return sendApiRequest(wx, baseUrl, { ...call, token: await login() }, requestTimeoutMs);
  }

  return { login, send, logout: () => storage.remove(TOKEN_KEY) };
}

export type AuthSession = ReturnType<typeof createAuthSession>;
