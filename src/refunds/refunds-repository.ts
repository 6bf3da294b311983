import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import type { DatabaseTransaction } from '../persistence/database-transactions';
import { Refund, type RefundStatus } from '../persistence/entities/refund';

export type RefundChanges = Partial<Pick<Refund, 'wechatRefundId' | 'channel' | 'userReceivedAccount' | 'successTime' | 'failureCode' | 'failureMessage'>>;

/** Refunds: the only code that locks a refund or writes its status (compare-and-set on the stored status). */
export class RefundsRepository {
  constructor(private readonly root: EntityManager) {}

  findById(refundId: string): Promise<Refund | null> {
    return this.root.fork().findOne(Refund, { id: refundId });
  }

  findByOutRefundNo(outRefundNo: string): Promise<Refund | null> {
    return this.root.fork().findOne(Refund, { outRefundNo });
  }

  listByOrder(orderId: string): Promise<Refund[]> {
    return this.root.fork().find(Refund, { orderId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  /** Inside the transaction that holds the order's lock: a twin request with the same key waits, then finds it. */
  findByIdempotencyKey(tx: DatabaseTransaction, key: string): Promise<Refund | null> {
    return tx.em.findOne(Refund, { idempotencyKey: key });
  }

  countForOrder(tx: DatabaseTransaction, orderId: string): Promise<number> {
    return tx.em.count(Refund, { orderId });
  }

  /** Refunds WeChat has not finished (PENDING, PROCESSING) and nobody touched since `before`: the reconciler's list. */
  findUnsettled(before: Date, limit: number): Promise<Refund[]> {
    return this.root.fork().find(Refund, { status: { $in: ['PENDING', 'PROCESSING'] }, updatedAt: { $lt: before } }, { orderBy: { updatedAt: 'asc' }, limit });
  }

  /** Orders flagged paid_after_cancel with nothing refunded and no automatic refund tried yet (whatever its end). */
  async findOrdersAwaitingAutoRefund(keyPrefix: string, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.root.fork().execute(
      `select o.id from orders o
        where o.paid_after_cancel and o.refund_amount = 0
          and not exists (select 1 from refunds r where r.order_id = o.id and r.idempotency_key = ? || o.id::text)
        order by o.updated_at limit ?`,
      [keyPrefix, limit],
    );
    return rows.map((row) => row.id);
  }

  /** Callers lock the order first, then its refund: one lock order for every writer, so none deadlock. */
  lockById(tx: DatabaseTransaction, refundId: string): Promise<Refund | null> {
    return tx.em.findOne(Refund, { id: refundId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  /** Flushed at once, so the database's rules (refundable order, sum within the amount paid) answer here. */
  async insert(tx: DatabaseTransaction, refund: Refund): Promise<void> {
    await tx.em.persist(refund).flush();
  }

  recordFirstAnswer(refund: Refund, answer: string): void {
    refund.firstAnswer ??= answer;
  }

  /** Fields that change without a status move (WeChat's code after a failed call). */
  update(refund: Refund, changes: RefundChanges): void {
    Object.assign(refund, changes);
  }

  /** Compare-and-set on the stored status: `false` when a concurrent writer moved it first. */
  async transition(tx: DatabaseTransaction, refund: Refund, to: RefundStatus, now: Date, changes: RefundChanges = {}): Promise<boolean> {
    const updated = await tx.em.nativeUpdate(Refund, { id: refund.id, status: refund.status }, { ...changes, status: to, updatedAt: now });
    if (updated !== 1) return false;
    await tx.em.refresh(refund);
    return true;
  }
}
