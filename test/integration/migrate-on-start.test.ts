import { createLogger } from '../../src/observability/logger';
import { connectOrm, migrate } from '../../src/persistence/orm';
import { migrationsList } from '../../src/persistence/migrations';
import { createFreshDatabase, type FreshDatabase } from './helpers/fresh-database';
import { call } from './helpers/http-client';
import { startTestStack, type TestStack } from './helpers/test-stack';

describe('MIGRATE_ON_START', () => {
  let database: FreshDatabase;
  let stack: TestStack | undefined;
  beforeEach(async () => {
    database = await createFreshDatabase('start');
  });
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
    await database.drop();
  });

  it('given MIGRATE_ON_START=false on a fresh database, when the API starts, then it migrates nothing and /readyz answers 503 until `migrate` runs', async () => {
    stack = await startTestStack({ env: { DATABASE_URL: database.url, MIGRATE_ON_START: 'false' } });
    const before = await call(stack.api.url, 'GET', '/readyz');
    expect(before.status).toBe(503);
    expect(before.body).toEqual({ status: 'migrations pending', pending: migrationsList.map((migration) => migration.name) });
    expect(await database.query(`select to_regclass('orders') as found`)).toEqual([{ found: null }]);

    const orm = await connectOrm(database.url, createLogger('silent'), 2);
    await migrate(orm).finally(() => orm.close());
    expect((await call(stack.api.url, 'GET', '/readyz')).status).toBe(200);
  });

  it('given MIGRATE_ON_START unset, when the API starts on a fresh database, then it is ready with every migration applied', async () => {
    stack = await startTestStack({ env: { DATABASE_URL: database.url } });
    expect((await call(stack.api.url, 'GET', '/readyz')).status).toBe(200);
    expect(await database.query('select count(*)::int as count from mikro_orm_migrations')).toEqual([{ count: migrationsList.length }]);
  });
});
