import type { EntityManager } from '@mikro-orm/postgresql';
import { connectionPoolOf, type ConnectionPool } from './connection-pool';

/**
 * One open database transaction that runs SQL statements on its own connection. Repositories take it; only they
 * write SQL. Placeholders are `?`, in order (the unit of work's style), so one statement runs in either kind.
 */
export interface StatementTransaction {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs once the transaction has committed (never after a rollback): for what this instance keeps in memory. */
  afterCommit(task: () => void): void;
}

/** A transaction with a unit of work as well: changes to entities it loaded or persisted are flushed at commit. */
export interface DatabaseTransaction extends StatementTransaction {
  readonly em: EntityManager;
}

export interface TransactionLimits {
  /** How long a row lock is waited for before PostgreSQL gives up (55P03). */
  lockTimeoutMs?: number;
  /** How long any one statement may run (57014). */
  statementTimeoutMs?: number;
}

export type TransactionRunner<Tx extends StatementTransaction> = <T>(work: (tx: Tx) => Promise<T>, limits?: TransactionLimits) => Promise<T>;

export interface DatabaseTransactions {
  run: TransactionRunner<DatabaseTransaction>;
  /**
   * Statements only, on a connection of the same pool, without an entity manager: for a hot path whose every
   * statement a repository writes out (a notification). Errors are converted as the ORM converts them.
   */
  runStatements: TransactionRunner<StatementTransaction>;
}

/** `set_config(…, true)` is `set local`: undone at commit. Integers only, so they can be written into the text. */
function limitSettings(limits: TransactionLimits): [string, number][] {
  const settings: [string, number][] = [];
  if (limits.lockTimeoutMs !== undefined) settings.push(['lock_timeout', Math.ceil(limits.lockTimeoutMs)]);
  if (limits.statementTimeoutMs !== undefined) settings.push(['statement_timeout', Math.ceil(limits.statementTimeoutMs)]);
  return settings;
}

interface PreparedStatement {
  name: string;
  text: string;
}

const prepared = new Map<string, PreparedStatement>();

/**
 * A statement text becomes a named prepared statement with node-postgres's `$1, $2…`: each connection parses and
 * plans it once, then only binds values. The texts are the repositories' constants (a few shapes each), so the
 * map stays small.
 */
function preparedStatement(sql: string): PreparedStatement {
  let statement = prepared.get(sql);
  if (statement === undefined) {
    let n = 0;
    statement = { name: `repository_${prepared.size + 1}`, text: sql.replace(/\?/g, () => `$${++n}`) };
    prepared.set(sql, statement);
  }
  return statement;
}

/** PostgreSQL's errors as the ORM hands them over (a DriverException of the right kind): logs withhold their values. */
type ConvertError = (err: Error) => Error;

async function runOnConnection<T>(
  pool: ConnectionPool,
  convert: ConvertError,
  work: (tx: StatementTransaction) => Promise<T>,
  limits: TransactionLimits,
): Promise<T> {
  const send = <R>(sent: Promise<R>) => sent.catch((err: unknown) => Promise.reject(convert(err as Error)));
  const connection = await send(pool.acquireConnection());
  const committed: (() => void)[] = [];
  try {
    // One simple-protocol round trip opens the transaction and sets its limits.
    await send(connection.query(['begin', ...limitSettings(limits).map(([name, ms]) => `set local ${name} = ${ms}`)].join('; ')));
    let result: T;
    try {
      result = await work({
        query: async <Row>(sql: string, params: readonly unknown[] = []) =>
          (await send(connection.query({ ...preparedStatement(sql), values: params }))).rows as Row[],
        afterCommit: (task) => committed.push(task),
      });
      await send(connection.query('commit'));
    } catch (err) {
      // A connection that cannot even roll back is ended, so the pool never hands out one inside a transaction.
      await connection.query('rollback').catch(() => connection.end().catch(() => undefined));
      throw err;
    }
    for (const task of committed) task();
    return result;
  } finally {
    await pool.releaseConnection(connection);
  }
}

/** Each `run` is one transaction on a fresh unit of work; changes to loaded entities are flushed at commit. */
export function createDatabaseTransactions(root: EntityManager): DatabaseTransactions {
  const pool = connectionPoolOf(root);
  const converter = root.getPlatform().getExceptionConverter();
  const convert: ConvertError = (err) => converter.convertException(err);
  return {
    async run(work, limits = {}) {
      const committed: (() => void)[] = [];
      const result = await root.fork().transactional(async (em) => {
        const settings = limitSettings(limits);
        if (settings.length > 0) {
          await em.execute(
            `select ${settings.map(() => 'set_config(?, ?, true)').join(', ')}`,
            settings.flatMap(([name, ms]) => [name, `${ms}`]),
          );
        }
        const query = <Row>(sql: string, params: readonly unknown[] = []) => em.execute<Row[]>(sql, [...params]);
        return work({ em, query, afterCommit: (task) => committed.push(task) });
      });
      for (const task of committed) task();
      return result;
    },
    runStatements: (work, limits = {}) => runOnConnection(pool, convert, work, limits),
  };
}
