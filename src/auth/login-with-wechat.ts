import type { components } from '../../generated/api';
import type { TravelerTokens } from './traveler-tokens';
import type { UsersRepository } from './users-repository';
import type { WechatLoginClient } from './wechat-login-client';

export type LoginResponse = components['schemas']['LoginResponse'];

export interface LoginDeps {
  users: UsersRepository;
  wechatLogin: WechatLoginClient;
  tokens: TravelerTokens;
  clock: () => Date;
}

/** `wx.login` code → WeChat's openid and session_key → our traveler and a bearer token. */
export async function loginWithWechat(deps: LoginDeps, code: string): Promise<LoginResponse> {
  const session = await deps.wechatLogin.exchangeCode(code);
  const now = deps.clock();
  const userId = await deps.users.upsertByOpenid(session.openid, session.sessionKey, now);
  return { token: deps.tokens.issue({ userId, openid: session.openid }, now), expires_in: deps.tokens.ttlSeconds };
}
