import type { MikroORM } from '@mikro-orm/postgresql';

/** Any fixed number works; every instance of this service must use the same one. */
const MIGRATION_LOCK_KEY = 727_150_001;
const POLL_MS = 250;
const GIVE_UP_MS = 10 * 60_000;

interface RawConnection {
  query(sql: string, values?: unknown[]): Promise<{ rows: { locked: boolean }[] }>;
}

/**
 * Runs `work` while holding a session-level advisory lock on one connection set aside from the pool, so that
 * instances starting at once on a fresh database migrate one after another instead of racing on `create
 * table`. The lock is polled with pg_try_advisory_lock (a blocking wait would hit statement_timeout), and
 * released in `finally`; if that connection dies, PostgreSQL releases the lock with the session.
 */
export async function withMigrationLock<T>(orm: MikroORM, work: () => Promise<T>, onWait?: () => void): Promise<T> {
  const client = orm.em.getConnection().getKnex().client as {
    acquireConnection(): Promise<RawConnection>;
    releaseConnection(connection: RawConnection): Promise<void>;
  };
  const connection = await client.acquireConnection();
  try {
    await acquire(connection, onWait);
    try {
      return await work();
    } finally {
      await connection.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await client.releaseConnection(connection);
  }
}

async function acquire(connection: RawConnection, onWait?: () => void): Promise<void> {
  const deadline = Date.now() + GIVE_UP_MS;
  for (let waited = false; ; waited = true) {
    const { rows } = await connection.query('select pg_try_advisory_lock($1) as locked', [MIGRATION_LOCK_KEY]);
    if (rows[0]?.locked) return;
    if (!waited) onWait?.();
    if (Date.now() > deadline) throw new Error(`another instance has held the migration lock for over ${GIVE_UP_MS / 60_000} minutes`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
