import type { EntityManager } from '@mikro-orm/postgresql';

/** One open database transaction. Repositories take it to read and write inside it; only they touch `em`. */
export interface DatabaseTransaction {
  readonly em: EntityManager;
  /** Runs once the transaction has committed (never after a rollback): for what this instance keeps in memory. */
  afterCommit(task: () => void): void;
}

export interface TransactionLimits {
  /** How long a row lock is waited for before PostgreSQL gives up (55P03). */
  lockTimeoutMs?: number;
  /** How long any one statement may run (57014). */
  statementTimeoutMs?: number;
}

export interface DatabaseTransactions {
  run<T>(work: (tx: DatabaseTransaction) => Promise<T>, limits?: TransactionLimits): Promise<T>;
}

/** Each `run` is one transaction on a fresh unit of work; changes to loaded entities are flushed at commit. */
export function createDatabaseTransactions(root: EntityManager): DatabaseTransactions {
  return {
    async run(work, limits = {}) {
      const committed: (() => void)[] = [];
      const result = await root.fork().transactional(async (em) => {
        const settings: [string, number][] = [];
        if (limits.lockTimeoutMs !== undefined) settings.push(['lock_timeout', limits.lockTimeoutMs]);
        if (limits.statementTimeoutMs !== undefined) settings.push(['statement_timeout', limits.statementTimeoutMs]);
        // `set_config(…, true)` is `set local`: one round trip for every limit, undone at commit.
        if (settings.length > 0) {
          await em.execute(
            `select ${settings.map(() => 'set_config(?, ?, true)').join(', ')}`,
            settings.flatMap(([name, ms]) => [name, `${Math.ceil(ms)}`]),
          );
        }
        return work({ em, afterCommit: (task) => committed.push(task) });
      });
      for (const task of committed) task();
      return result;
    },
  };
}
