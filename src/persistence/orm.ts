import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import type { Logger } from '../observability/logger';
import { entitySchemas } from './entities';
import { withMigrationLock } from './migration-lock';
import { migrationsList } from './migrations';

export type Orm = MikroORM;

export function ormOptions(clientUrl: string, logger?: Logger, poolMax = 10): Options {
  return {
    clientUrl,
    entities: entitySchemas,
    extensions: [Migrator],
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false },
    discovery: { warnWhenNoEntities: false },
    debug: false,
    logger: (message) => logger?.debug({ orm: message }),
    pool: { min: 0, max: poolMax },
    // Statements never wait forever on a lock; WeChat Pay calls time out well below this.
    driverOptions: {
      connection: { statement_timeout: 15000 },
      // Keep bound values out of error messages (they would carry openids and keys into logs).
      compileSqlOnError: false,
      // Knex prints to the console by default; its notices belong in the JSON log.
      log: {
        warn: (message: unknown) => logger?.warn({ knex: message }, 'database warning'),
        error: (message: unknown) => logger?.warn({ knex: message }, 'database connection error'),
        deprecate: (message: unknown) => logger?.debug({ knex: message }),
        debug: (message: unknown) => logger?.debug({ knex: message }),
      },
    },
  };
}

/** Connects and keeps the process alive when PostgreSQL drops a connection (node-postgres emits 'error'). */
export async function connectOrm(clientUrl: string, logger: Logger, poolMax?: number): Promise<Orm> {
  const orm = await MikroORM.init(ormOptions(clientUrl, logger, poolMax));
  const knex = orm.em.getConnection().getKnex();
  const pool = (knex.client as { pool?: { on(event: string, fn: (...args: unknown[]) => void): void } }).pool;
  pool?.on('createSuccess', (_eventId: unknown, connection: unknown) => {
    (connection as { on(event: string, fn: (err: Error) => void): void }).on('error', (err) => logger.warn({ err }, 'database connection lost'));
  });
  return orm;
}

/** Applies pending migrations under an advisory lock: instances starting together take turns. */
export async function migrate(orm: Orm, logger?: Logger): Promise<string[]> {
  const waiting = () => logger?.info('another instance is applying migrations: waiting for it');
  const applied = await withMigrationLock(orm, () => orm.getMigrator().up(), waiting);
  return applied.map((migration) => migration.name);
}

/**
 * Read-only: on a database without the migrations table every migration is pending. (The migrator would
 * create the table, racing an instance that is migrating.)
 */
export async function pendingMigrations(orm: Orm): Promise<string[]> {
  const [table] = await orm.em.getConnection().execute<{ found: string | null }[]>(`select to_regclass('mikro_orm_migrations') as found`);
  if (!table?.found) return migrationsList.map((migration) => migration.name);
  return (await orm.getMigrator().getPendingMigrations()).map((migration) => migration.name);
}
