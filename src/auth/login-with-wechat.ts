import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { components } from '../../generated/api';
import type { TravelerTokens } from './traveler-tokens';
import type { WechatLoginClient } from './wechat-login-client';

export type LoginResponse = components['schemas']['LoginResponse'];

export interface LoginDeps {
  em: EntityManager;
  wechatLogin: WechatLoginClient;
  tokens: TravelerTokens;
  now: Date;
}

/** Creates the traveler on first sight; keeps the newest session_key on the server only. */
async function upsertUser(em: EntityManager, openid: string, sessionKey: string, now: Date): Promise<string> {
  const rows: { id: string }[] = await em.execute(
    `insert into users (id, openid, session_key, created_at, updated_at) values (?, ?, ?, ?, ?)
     on conflict (openid) do update set session_key = excluded.session_key, updated_at = excluded.updated_at
     returning id`,
    [randomUUID(), openid, sessionKey, now, now],
  );
  return rows[0]!.id;
}

export async function loginWithWechat(deps: LoginDeps, code: string): Promise<LoginResponse> {
  const session = await deps.wechatLogin.exchangeCode(code);
  const userId = await upsertUser(deps.em, session.openid, session.sessionKey, deps.now);
  return { token: deps.tokens.issue({ userId, openid: session.openid }, deps.now), expires_in: deps.tokens.ttlSeconds };
}
