import { createLogger } from '../../src/observability/logger';
import { connectOrm, migrate, pendingMigrations } from '../../src/persistence/orm';
import { migrationsList } from '../../src/persistence/migrations';
import { createFreshDatabase, type FreshDatabase } from './helpers/fresh-database';

const logger = createLogger('silent');
const allMigrations = migrationsList.map((migration) => migration.name);

async function migrateOnce(url: string): Promise<string[]> {
  const orm = await connectOrm(url, logger, 4);
  try {
    return await migrate(orm);
  } finally {
    await orm.close();
  }
}

const advisoryLocksHeld = (database: FreshDatabase) =>
  database.query(
    `select count(*)::int as count from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`,
  );

describe('migrations on a fresh database', () => {
  let database: FreshDatabase;
  beforeEach(async () => {
    database = await createFreshDatabase('migrate');
  });
  afterEach(() => database.drop());

  it('given four instances starting at once, when each migrates, then all succeed and every migration is applied exactly once', async () => {
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => migrateOnce(database.url)));
    expect(results.map((result) => (result.status === 'rejected' ? String(result.reason) : 'ok'))).toEqual(['ok', 'ok', 'ok', 'ok']);
    const applied = results.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
    expect(applied.sort()).toEqual([...allMigrations].sort());
    const rows = await database.query('select name, count(*)::int as count from mikro_orm_migrations group by name order by name');
    expect(rows).toEqual(allMigrations.map((name) => ({ name, count: 1 })));
    expect(await advisoryLocksHeld(database)).toEqual([{ count: 0 }]);
  });

  it('given a migration that fails, when migrate rejects, then the lock is released and a later migrate can run', async () => {
    await database.query('create table "users" ("id" integer)'); // the first migration creates "users" too
    await expect(migrateOnce(database.url)).rejects.toThrow(/already exists/);
    expect(await advisoryLocksHeld(database)).toEqual([{ count: 0 }]);
    await database.query('drop table "users"');
    expect(await migrateOnce(database.url)).toEqual(allMigrations);
  });

  it('given a fresh database, when pending migrations are listed (as /readyz does), then all are pending and nothing is created', async () => {
    const orm = await connectOrm(database.url, logger, 2);
    try {
      expect(await pendingMigrations(orm)).toEqual(allMigrations);
    } finally {
      await orm.close();
    }
    expect(await database.query(`select to_regclass('mikro_orm_migrations') as found`)).toEqual([{ found: null }]);
  });
});
