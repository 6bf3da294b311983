import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';

/** Travelers, known by the openid WeChat gives for our Mini Program. */
export class UsersRepository {
  constructor(private readonly root: EntityManager) {}

  /** Creates the traveler on first sight and keeps the newest session_key (server side only); returns the id. */
  async upsertByOpenid(openid: string, sessionKey: string, now: Date): Promise<string> {
    const rows: { id: string }[] = await this.root.fork().execute(
      `insert into users (id, openid, session_key, created_at, updated_at) values (?, ?, ?, ?, ?)
       on conflict (openid) do update set session_key = excluded.session_key, updated_at = excluded.updated_at
       returning id`,
      [randomUUID(), openid, sessionKey, now, now],
    );
    return rows[0]!.id;
  }
}
