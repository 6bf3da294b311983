import { createLogger } from '../../src/observability/logger';
import { connectOrm, pendingMigrations } from '../../src/persistence/orm';

describe('database', () => {
  it('given the test database, when migrations are listed, then none is pending and the card columns exist', async () => {
    const orm = await connectOrm(process.env.DATABASE_URL as string, createLogger('silent'));
    try {
      expect(await pendingMigrations(orm)).toEqual([]);
      const columns: { column_name: string; is_nullable: string }[] = await orm.em
        .getConnection()
        .execute(`select column_name, is_nullable from information_schema.columns where table_name = 'orders'`);
      const byName = new Map(columns.map((c) => [c.column_name, c.is_nullable]));
      for (const name of ['wechat_prepay_id', 'payment_token', 'payment_status', 'payment_requested_at']) {
        expect(byName.get(name)).toBe('YES');
      }
    } finally {
      await orm.close();
    }
  });
});
