import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import type { Logger } from '../observability/logger';
import { entitySchemas } from './entities';
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

export async function migrate(orm: Orm): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((migration) => migration.name);
}

export async function pendingMigrations(orm: Orm): Promise<string[]> {
  return (await orm.getMigrator().getPendingMigrations()).map((migration) => migration.name);
}
