import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { IdempotencyRecord } from '../persistence/entities/idempotency-record';
import { Order, type OrderStatus } from '../persistence/entities/order';
import { PaymentStatusHistory, type HistorySource } from '../persistence/entities/payment-status-history';
import type { DatabaseTransaction } from '../persistence/database-transactions';
import { OrderStatusCache, type CachedOrderStatus } from '../persistence/order-status-cache';
import { batchedLookup } from '../persistence/batched-lookup';
import { preparedRead } from '../persistence/prepared-read';
import { isUuid } from './is-uuid';
import { canTransition } from './order-status-rules';

const byId = (row: { id: string }) => row.id;

const SESSION_COLUMNS = 'user_id, status, amount, lock_expire_at, payment_params, payment_requested_at';

interface SessionRow {
  id: string;
  user_id: string;
  status: Order['status'];
  amount: number;
  lock_expire_at: Date;
  payment_params: string | null;
  payment_requested_at: Date | null;
}

const STATUS_COLUMNS = 'user_id, status, lock_expire_at, out_trade_no, refund_amount, refunded_amount';

interface StatusRow {
  id: string;
  user_id: string;
  status: Order['status'];
  lock_expire_at: Date;
  out_trade_no: string | null;
  refund_amount: number;
  refunded_amount: number;
}

/** One row of an order's audit history: a state change or a payment event. */
export interface OrderEvent {
  event: string;
  source: HistorySource;
  now: Date;
  notificationId?: string;
  detail?: Record<string, unknown>;
}

export type PaymentFields = Pick<Order, 'tradeState' | 'paidAt' | 'wechatTransactionId'>;

/**
 * Orders, their history rows and their idempotency records. The only code that locks an order, writes its
 * status (compare-and-set) or appends to `payment_status_history`.
 */
export class OrdersRepository {
  constructor(
    private readonly root: EntityManager,
    private readonly statusCache = new OrderStatusCache({ maxEntries: 0, maxAgeMs: 0 }),
  ) {
    const selectStatuses = preparedRead<StatusRow>(root, 'order-statuses', `select id, ${STATUS_COLUMNS} from orders where id = any($1::uuid[])`);
    this.lookupStatus = batchedLookup((orderIds) => selectStatuses(orderIds), byId);
    const selectSessions = preparedRead<SessionRow>(root, 'order-sessions', `select id, ${SESSION_COLUMNS} from orders where id = any($1::uuid[])`);
    this.lookupSession = batchedLookup((orderIds) => selectSessions(orderIds), byId);
  }

  private readonly lookupSession: (orderId: string) => Promise<SessionRow | undefined>;

  private readonly lookupStatus: (orderId: string) => Promise<StatusRow | undefined>;

  /**
   * What a status poll needs, scoped to the owner: from the status cache, or one indexed read outside any
   * transaction (no unit of work, no entity: a plain row), shared with the other polls that missed at once.
   */
  async findOwnedStatus(orderId: string, userId: string): Promise<Omit<CachedOrderStatus, 'userId'> | null> {
    const found = await this.statusCache.read(orderId, () => this.readStatus(orderId));
    return found?.userId === userId ? found : null;
  }

  private async readStatus(orderId: string): Promise<CachedOrderStatus | null> {
    // One malformed id would fail the uuid[] cast for every poll batched with it.
    const row = isUuid(orderId) ? await this.lookupStatus(orderId) : undefined;
    if (!row) return null;
    return {
      userId: row.user_id,
      status: row.status,
      lockExpireAt: new Date(row.lock_expire_at),
      outTradeNo: row.out_trade_no ?? undefined,
      refundAmount: row.refund_amount,
      refundedAmount: row.refunded_amount,
    };
  }

  /** A plain indexed read, outside any transaction (batched like the status read): what answering stored session parameters again needs. */
  async findOwnedSession(
    orderId: string,
    userId: string,
  ): Promise<Pick<Order, 'status' | 'amount' | 'lockExpireAt' | 'paymentParams' | 'paymentRequestedAt'> | null> {
    const row = isUuid(orderId) ? await this.lookupSession(orderId) : undefined;
    if (row?.user_id !== userId) return null;
    return {
      status: row.status,
      amount: row.amount,
      lockExpireAt: new Date(row.lock_expire_at),
      paymentParams: row.payment_params ?? undefined,
      paymentRequestedAt: row.payment_requested_at ? new Date(row.payment_requested_at) : undefined,
    };
  }

  /** What the reconciler and the expiry job read before deciding whether to ask WeChat. */
  findForReconciliation(orderId: string): Promise<Pick<Order, 'id' | 'status' | 'lockExpireAt' | 'outTradeNo'> | null> {
    return this.root.fork().findOne(Order, { id: orderId }, { fields: ['id', 'status', 'lockExpireAt', 'outTradeNo'] });
  }

  /** Pending orders whose seat lock ended by `now`, oldest first: the expiry job's work list. */
  async findLapsed(now: Date, limit: number): Promise<string[]> {
    const rows = await this.root
      .fork()
      .find(Order, { status: 'pending', lockExpireAt: { $lte: now } }, { fields: ['id'], orderBy: { lockExpireAt: 'asc' }, limit });
    return rows.map((row) => row.id);
  }

  /** Pending orders with a transaction: the age of the oldest tells whether reconciliation keeps up. */
  async oldestOpenTransactionCreatedAt(): Promise<Date | undefined> {
    const [row] = await this.root
      .fork()
      .find(Order, { status: 'pending', outTradeNo: { $ne: null } }, { fields: ['createdAt'], orderBy: { createdAt: 'asc' }, limit: 1 });
    return row?.createdAt;
  }

  async findOutTradeNo(orderId: string): Promise<string | undefined> {
    return (await this.root.fork().findOne(Order, { id: orderId }, { fields: ['outTradeNo'] }))?.outTradeNo;
  }

  findIdempotencyRecord(userId: string, key: string): Promise<IdempotencyRecord | null> {
    return this.root.fork().findOne(IdempotencyRecord, { userId, key });
  }

  /** `SELECT … FOR UPDATE` scoped to the owner: another traveler's order is not found, like an unknown one. */
  lockOwned(tx: DatabaseTransaction, orderId: string, userId: string): Promise<Order | null> {
    return tx.em.findOne(Order, { id: orderId, userId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  /** An order by id, for operators (not scoped to a traveler). */
  findById(orderId: string): Promise<Order | null> {
    return this.root.fork().findOne(Order, { id: orderId });
  }

  findHistory(orderId: string): Promise<PaymentStatusHistory[]> {
    return this.root.fork().find(PaymentStatusHistory, { orderId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  /** `SELECT … FOR UPDATE` by id alone: operators and jobs act on any traveler's order. */
  lockById(tx: DatabaseTransaction, orderId: string): Promise<Order | null> {
    return tx.em.findOne(Order, { id: orderId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  lockByOutTradeNo(tx: DatabaseTransaction, outTradeNo: string): Promise<Order | null> {
    return tx.em.findOne(Order, { outTradeNo }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  /** A new order, its first history row and the answer stored under its Idempotency-Key, in one transaction. */
  insert(tx: DatabaseTransaction, order: Order, idempotency: Omit<IdempotencyRecord, 'createdAt'>, event: OrderEvent): void {
    tx.em.persist(order);
    this.appendHistory(tx, order.id, undefined, 'pending', event);
    // Inserted in the same transaction: a concurrent twin with the same key waits on it, then finds it.
    tx.em.persist(Object.assign(new IdempotencyRecord(), { ...idempotency, createdAt: event.now }));
  }

  /** Fields of a locked order that change without a status move (the prepared transaction, a session). */
  update(order: Order, fields: Partial<Omit<Order, 'id' | 'status'>>): void {
    Object.assign(order, fields);
  }

  /** Appends to the audit history without changing the status (a session, a duplicate, a mismatch…). */
  recordEvent(tx: DatabaseTransaction, order: Pick<Order, 'id' | 'status'>, event: OrderEvent): void {
    this.appendHistory(tx, order.id, order.status, order.status, event);
  }

  /**
   * Compare-and-set on the stored status, so a concurrent writer that got there first makes this a no-op
   * (`false`); on success the history row is written in the same transaction.
   */
  async transition(tx: DatabaseTransaction, order: Order, to: OrderStatus, event: OrderEvent, changes: Partial<PaymentFields> = {}): Promise<boolean> {
    const from = order.status;
    if (!canTransition(from, to)) return false;
    const updated = await tx.em.nativeUpdate(Order, { id: order.id, status: from }, { status: to, updatedAt: event.now, ...changes });
    if (updated !== 1) return false;
    this.announceChange(tx, order.id);
    await tx.em.refresh(order);
    this.appendHistory(tx, order.id, from, to, event);
    return true;
  }

  /**
   * Money arrived for an order that can no longer be delivered: its status stays (terminal states never move)
   * and it is flagged for a refund, through the same compare-and-set on the stored status.
   */
  async flagPaidAfterCancel(tx: DatabaseTransaction, order: Order, event: OrderEvent, payment: PaymentFields): Promise<boolean> {
    const updated = await tx.em.nativeUpdate(
      Order,
      { id: order.id, status: order.status, paidAfterCancel: false },
      { ...payment, paidAfterCancel: true, updatedAt: event.now },
    );
    if (updated !== 1) return false;
    this.announceChange(tx, order.id);
    await tx.em.refresh(order);
    this.recordEvent(tx, order, event);
    return true;
  }

  /**
   * The trigger announces the change to every instance at commit; this instance also drops its own entry right
   * after its commit, so whoever wrote here reads the new status at once (the notification arrives a moment later).
   */
  private announceChange(tx: DatabaseTransaction, orderId: string): void {
    tx.afterCommit(() => this.statusCache.invalidate(orderId));
  }

  private appendHistory(tx: DatabaseTransaction, orderId: string, from: OrderStatus | undefined, to: OrderStatus, event: OrderEvent): void {
    tx.em.persist(
      Object.assign(new PaymentStatusHistory(), {
        orderId,
        event: event.event,
        fromStatus: from,
        toStatus: to,
        source: event.source,
        notificationId: event.notificationId,
        detail: event.detail,
        createdAt: event.now,
      }),
    );
  }
}
