import type { EntityManager } from '@mikro-orm/postgresql';
import { connectionPoolOf, queryOnConnection } from './connection-pool';

/**
 * A read on a connection of the application's pool, outside any transaction, as a named prepared statement:
 * PostgreSQL parses and plans it once per connection, and no unit of work or query builder runs. For the reads
 * of the hottest requests; everything that writes goes through the repositories' transactions.
 */
export function preparedRead<Row>(root: EntityManager, name: string, text: string): (...values: unknown[]) => Promise<Row[]> {
  const pool = connectionPoolOf(root);
  return (...values) => queryOnConnection<Row>(pool, { name, text, values });
}
