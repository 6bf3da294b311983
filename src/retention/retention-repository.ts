import type { EntityManager } from '@mikro-orm/postgresql';

/** Tables with an age limit, and the column their age is read from. */
export const RETAINED_TABLES = {
  payment_status_history: 'created_at',
  payment_notifications: 'received_at',
  idempotency_keys: 'created_at',
} as const;

export type RetainedTable = keyof typeof RETAINED_TABLES;

/** The deletes of the retention job: one small batch per statement, so no lock is held for long. */
export class RetentionRepository {
  constructor(private readonly root: EntityManager) {}

  /** Deletes up to `batchSize` rows older than `before`; returns how many went. Each call is its own transaction. */
  async deleteBatch(table: RetainedTable, before: Date, batchSize: number): Promise<number> {
    const column = RETAINED_TABLES[table];
    // ctid picks the rows without a sort on the whole table; the age index finds them.
    const rows: unknown[] = await this.root
      .fork()
      .execute(`delete from "${table}" where ctid in (select ctid from "${table}" where "${column}" < ? limit ?) returning 1 as removed`, [before, batchSize]);
    return rows.length;
  }
}
