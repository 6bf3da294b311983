import type { EntityManager, Knex } from '@mikro-orm/postgresql';

/** A node-postgres client as the pool hands it out, as far as this code uses it. */
export interface PooledConnection {
  query(text: string): Promise<unknown>;
  query(config: { name: string; text: string; values: readonly unknown[] }): Promise<{ rows: unknown[] }>;
  end(): Promise<void>;
}

export interface ConnectionPool {
  acquireConnection(): Promise<PooledConnection>;
  releaseConnection(connection: PooledConnection): Promise<void>;
}

/**
 * The application's own pool (the ORM's knex client), for the statements that run without a unit of work: the
 * same connections, the same DATABASE_POOL_MAX.
 */
export function connectionPoolOf(source: EntityManager | Knex): ConnectionPool {
  const knex = 'getConnection' in source ? source.getConnection().getKnex() : source;
  return knex.client as ConnectionPool;
}

/** One named prepared statement, outside any transaction, on a connection borrowed from the pool for it. */
export async function queryOnConnection<Row>(pool: ConnectionPool, statement: { name: string; text: string; values: readonly unknown[] }): Promise<Row[]> {
  const connection = await pool.acquireConnection();
  try {
    return (await connection.query(statement)).rows as Row[];
  } finally {
    await pool.releaseConnection(connection);
  }
}
