import { randomUUID } from 'node:crypto';
import { createLogger } from '../../src/observability/logger';
import { connectOrm, pendingMigrations, type Orm } from '../../src/persistence/orm';

describe('database', () => {
  let orm: Orm;
  beforeAll(async () => {
    orm = await connectOrm(process.env.DATABASE_URL as string, createLogger('silent'));
  });
  afterAll(() => orm.close());
  const sql = async <T>(query: string, values: unknown[] = []): Promise<T> => (await orm.em.getConnection().execute(query, values)) as T;

  describe('given the test database', () => {
    describe('when migrations are listed', () => {
      it('finds none pending and the payment columns present', async () => {
        expect(await pendingMigrations(orm)).toEqual([]);
        const columns = await sql<{ column_name: string; is_nullable: string }[]>(
          `select column_name, is_nullable from information_schema.columns where table_name = 'orders'`,
        );
        const byName = new Map(columns.map((c) => [c.column_name, c.is_nullable]));
        for (const name of ['wechat_prepay_id', 'payment_token', 'payment_status', 'payment_requested_at', 'out_trade_no', 'trade_state']) {
          expect(byName.get(name)).toBe('YES');
        }
      });
    });
  });

  describe('given an order written under the WeChat names (out_trade_no, trade_state)', () => {
    it('reads the same values under the original names (payment_token, payment_status), on insert and on update', async () => {
      const [user] = await sql<{ id: string }[]>(`insert into users (id, openid, created_at, updated_at) values (?, ?, now(), now()) returning id`, [
        randomUUID(),
        `o-${randomUUID()}`,
      ]);
      const id = randomUUID();
      await sql(
        `insert into orders (id, user_id, amount, description, status, lock_expire_at, out_trade_no, trade_state, created_at, updated_at)
         values (?, ?, 100, 'mirror', 'pending', now() + interval '15 minutes', 'a1b2c3', 'NOTPAY', now(), now())`,
        [id, user!.id],
      );
      const read = () => sql<{ payment_token: string; payment_status: string }[]>('select payment_token, payment_status from orders where id = ?', [id]);
      expect(await read()).toEqual([{ payment_token: 'a1b2c3', payment_status: 'NOTPAY' }]);
      await sql(`update orders set trade_state = 'SUCCESS' where id = ?`, [id]);
      expect(await read()).toEqual([{ payment_token: 'a1b2c3', payment_status: 'SUCCESS' }]);
    });
  });
});
