import { pendingMigrations, type Orm } from './orm';

export interface Readiness {
  ready: boolean;
  body: { status: string; pending?: string[] };
  error?: unknown;
}

export type ReadinessCheck = () => Promise<Readiness>;

/** Ready means: the database answers and every migration is applied. */
export function createReadinessCheck(orm: Orm): ReadinessCheck {
  return async () => {
    try {
      await orm.em.getConnection().execute('select 1');
      const pending = await pendingMigrations(orm);
      if (pending.length > 0) return { ready: false, body: { status: 'migrations pending', pending } };
      return { ready: true, body: { status: 'ready' } };
    } catch (error) {
      return { ready: false, body: { status: 'database unreachable' }, error };
    }
  };
}
