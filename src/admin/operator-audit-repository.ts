import type { EntityManager } from '@mikro-orm/postgresql';
import { OperatorAuditEntry } from '../persistence/entities/operator-audit-entry';

export type AuditRecord = Omit<OperatorAuditEntry, 'id'>;

/** The operator audit log: append-only, one row per operator action. */
export class OperatorAuditRepository {
  constructor(private readonly root: EntityManager) {}

  async append(record: AuditRecord): Promise<void> {
    await this.root.fork().persist(Object.assign(new OperatorAuditEntry(), record)).flush();
  }

  list(filter: { keyId?: string; orderId?: string } = {}): Promise<OperatorAuditEntry[]> {
    return this.root.fork().find(OperatorAuditEntry, filter, { orderBy: { id: 'asc' } });
  }
}
