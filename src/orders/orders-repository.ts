import type { EntityManager, EntityMetadata } from '@mikro-orm/postgresql';
import { IdempotencyRecord } from '../persistence/entities/idempotency-record';
import { Order, type OrderStatus } from '../persistence/entities/order';
import { PaymentStatusHistory, type HistorySource } from '../persistence/entities/payment-status-history';
import type { DatabaseTransaction, StatementTransaction } from '../persistence/database-transactions';
import { OrderStatusCache, type CachedOrderStatus } from '../persistence/order-status-cache';
import { batchedLookup } from '../persistence/batched-lookup';
import { preparedRead } from '../persistence/prepared-read';
import { CollectedOrderWrites, HISTORY_COLUMNS } from './collected-order-writes';
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
  private readonly statements: ReturnType<typeof orderStatements>;

  constructor(
    private readonly root: EntityManager,
    private readonly statusCache = new OrderStatusCache({ maxEntries: 0, maxAgeMs: 0 }),
  ) {
    const selectStatuses = preparedRead<StatusRow>(root, 'order-statuses', `select id, ${STATUS_COLUMNS} from orders where id = any($1::uuid[])`);
    this.lookupStatus = batchedLookup((orderIds) => selectStatuses(orderIds), byId);
    const selectSessions = preparedRead<SessionRow>(root, 'order-sessions', `select id, ${SESSION_COLUMNS} from orders where id = any($1::uuid[])`);
    this.lookupSession = batchedLookup((orderIds) => selectSessions(orderIds), byId);
    this.statements = orderStatements(root.getMetadata(Order));
  }

  private readonly lookupSession: (orderId: string) => Promise<SessionRow | undefined>;

  private readonly lookupStatus: (orderId: string) => Promise<StatusRow | undefined>;

  /** The transactions handed out by `collectWrites`, with what each holds back. */
  private readonly collecting = new WeakMap<StatementTransaction, CollectedOrderWrites>();

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
  lockOwned(tx: StatementTransaction, orderId: string, userId: string): Promise<Order | null> {
    return this.lockOne(tx, this.statements.lockOwned, [orderId, userId]);
  }

  /** An order by id, for operators (not scoped to a traveler). */
  findById(orderId: string): Promise<Order | null> {
    return this.root.fork().findOne(Order, { id: orderId });
  }

  findHistory(orderId: string): Promise<PaymentStatusHistory[]> {
    return this.root.fork().find(PaymentStatusHistory, { orderId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  /** `SELECT … FOR UPDATE` by id alone: operators and jobs act on any traveler's order. */
  lockById(tx: StatementTransaction, orderId: string): Promise<Order | null> {
    return this.lockOne(tx, this.statements.lockById, [orderId]);
  }

  lockByOutTradeNo(tx: StatementTransaction, outTradeNo: string): Promise<Order | null> {
    return this.lockOne(tx, this.statements.lockByOutTradeNo, [outTradeNo]);
  }

  /**
   * The orders of the notifications a claim statement records, locked in one statement (in id order), keyed by
   * notification id: null for an out_trade_no of no order; a notification recorded before is absent. Two
   * notifications of one order share one object, so the second sees what the first changed. NOWAIT: an order
   * another transaction holds fails the statement at once (55P03) instead of holding the whole group.
   */
  async lockClaimedByOutTradeNo(tx: StatementTransaction, claim: { sql: string; params: unknown[] }): Promise<Map<string, Order | null>> {
    const rows = await tx.query<Record<string, unknown> & { claimedId: string; claimedOutTradeNo: string }>(
      `with claim as (${claim.sql}),
        locked as (select ${this.statements.columns} from orders where out_trade_no in (select out_trade_no from claim) order by id for update nowait)
        select claim.id as "claimedId", claim.out_trade_no as "claimedOutTradeNo", locked.* from claim left join locked on locked."outTradeNo" = claim.out_trade_no`,
      claim.params,
    );
    const orders = new Map<string, Order>();
    const claimed = new Map<string, Order | null>();
    for (const { claimedId, claimedOutTradeNo, ...row } of rows) {
      if (row.id === null) {
        claimed.set(claimedId, null);
        continue;
      }
      const order = orders.get(claimedOutTradeNo) ?? orderFromRow(row, this.statements.dates);
      orders.set(claimedOutTradeNo, order);
      claimed.set(claimedId, order);
    }
    return claimed;
  }

  /**
   * A locked order is a plain row, not an entity of a unit of work: every change to it is a statement of this
   * repository, written at once (nothing is left for a flush to find).
   */
  private async lockOne(tx: StatementTransaction, sql: string, params: unknown[]): Promise<Order | null> {
    const [row] = await tx.query(sql, params);
    return row ? orderFromRow(row, this.statements.dates) : null;
  }

  /** A new order, its first history row and the answer stored under its Idempotency-Key, in one transaction. */
  insert(tx: DatabaseTransaction, order: Order, idempotency: Omit<IdempotencyRecord, 'createdAt'>, event: OrderEvent): void {
    tx.em.persist(order);
    this.appendHistory(tx, order.id, undefined, 'pending', event);
    // Inserted in the same transaction: a concurrent twin with the same key waits on it, then finds it.
    tx.em.persist(Object.assign(new IdempotencyRecord(), { ...idempotency, createdAt: event.now }));
  }

  /** Fields of a locked order that change without a status move (the prepared transaction, a session). */
  async update(tx: StatementTransaction, order: Order, fields: Partial<Omit<Order, 'id' | 'status'>>): Promise<void> {
    // The entity's own `onUpdate` rule: updated_at is the wall clock of the write.
    const set = this.assignments({ ...fields, updatedAt: new Date() });
    await tx.query(`update orders set ${set.sql} where id = ?`, [...set.values, order.id]);
    Object.assign(order, fields);
  }

  /** Appends to the audit history without changing the status (a session, a duplicate, a mismatch…). */
  async recordEvent(tx: StatementTransaction, order: Pick<Order, 'id' | 'status'>, event: OrderEvent): Promise<void> {
    const values = [order.id, ...historyValues(order.status, order.status, event)];
    const collected = this.collecting.get(tx);
    if (collected) collected.addHistory(values);
    else await tx.query(INSERT_HISTORY, values);
  }

  /**
   * Compare-and-set on the stored status, so a concurrent writer that got there first makes this a no-op
   * (`false`); on success the history row is written in the same statement.
   */
  async transition(tx: StatementTransaction, order: Order, to: OrderStatus, event: OrderEvent, changes: Partial<PaymentFields> = {}): Promise<boolean> {
    const from = order.status;
    if (!canTransition(from, to)) return false;
    const fields = { status: to, updatedAt: event.now, ...changes };
    const collected = this.collecting.get(tx);
    if (!collected) return this.compareAndSet(tx, order, fields, '', historyValues(from, to, event));
    collected.addMove({ orderId: order.id, from, changes: this.columnValues(fields) });
    collected.addHistory([order.id, ...historyValues(from, to, event)]);
    this.announceChange(tx, order.id);
    Object.assign(order, fields);
    return true;
  }

  /**
   * Runs `work` on a transaction whose status moves and history rows are held back, then written as one
   * statement: before any other statement runs on it, and when `work` ends. For a group of notifications, whose
   * orders this transaction has all locked: under the lock each compare-and-set is known to succeed, and the
   * statement checks that every one did, or fails (and the transaction with it, leaving nothing).
   */
  async collectWrites<T>(tx: StatementTransaction, work: (tx: StatementTransaction) => Promise<T>): Promise<T> {
    const collected = new CollectedOrderWrites(this.statements.columnTypes);
    const writeCollected = async () => {
      const statement = collected.take();
      if (!statement) return;
      const [counts] = await tx.query<Record<string, number>>(statement.sql, statement.params);
      const moved = statement.expected.map((_, i) => counts?.[`moved_${i}`]);
      if (moved.some((count, i) => count !== statement.expected[i])) {
        throw new Error(`held-back status moves did not all apply (${moved.join(', ')} of ${statement.expected.join(', ')})`);
      }
    };
    const collecting: StatementTransaction = {
      query: async (sql, params) => {
        await writeCollected();
        return tx.query(sql, params);
      },
      afterCommit: (task) => tx.afterCommit(task),
    };
    this.collecting.set(collecting, collected);
    const result = await work(collecting);
    await writeCollected();
    return result;
  }

  /**
   * Money arrived for an order that can no longer be delivered: its status stays (terminal states never move)
   * and it is flagged for a refund, through the same compare-and-set on the stored status.
   */
  flagPaidAfterCancel(tx: StatementTransaction, order: Order, event: OrderEvent, payment: PaymentFields): Promise<boolean> {
    const changes = { ...payment, paidAfterCancel: true, updatedAt: event.now };
    return this.compareAndSet(tx, order, changes, ' and not paid_after_cancel', historyValues(order.status, order.status, event));
  }

  /**
   * One statement: the update where the stored status is still the one read under the lock, and its history row
   * only if the update happened. The returned row replaces what was read, as a re-read would.
   */
  private async compareAndSet(tx: StatementTransaction, order: Order, changes: Partial<Order>, condition: string, history: unknown[]): Promise<boolean> {
    const set = this.assignments(changes);
    const sql = `with moved as (update orders set ${set.sql} where id = ? and status = ?${condition} returning ${this.statements.columns}),
      history as (${INSERT_HISTORY_FROM_MOVED})
      select * from moved`;
    const [row] = await tx.query(sql, [...set.values, order.id, order.status, ...history]);
    if (!row) return false;
    this.announceChange(tx, order.id);
    Object.assign(order, orderFromRow(row, this.statements.dates));
    return true;
  }

  /** `"trade_state" = ?, …` for entity fields, with their values in the same order. */
  private assignments(fields: Partial<Order>): { sql: string; values: unknown[] } {
    const values = this.columnValues(fields);
    return {
      sql: Object.keys(values)
        .map((column) => `"${column}" = ?`)
        .join(', '),
      values: Object.values(values),
    };
  }

  /** Entity fields as column name → value. */
  private columnValues(fields: Partial<Order>): Record<string, unknown> {
    const names = Object.keys(fields) as (keyof Order)[];
    return Object.fromEntries(names.map((name) => [this.statements.columnOf[name], fields[name] ?? null]));
  }

  /**
   * The trigger announces the change to every instance at commit; this instance also drops its own entry right
   * after its commit, so whoever wrote here reads the new status at once (the notification arrives a moment later).
   */
  private announceChange(tx: StatementTransaction, orderId: string): void {
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

const INSERT_HISTORY = `insert into payment_status_history (${HISTORY_COLUMNS}) values (?, ?, ?, ?, ?, ?, ?::jsonb, ?)`;
const INSERT_HISTORY_FROM_MOVED = `insert into payment_status_history (${HISTORY_COLUMNS}) select id, ?, ?, ?, ?, ?, ?::jsonb, ? from moved`;

/** A history row's values after its order id, in HISTORY_COLUMNS order. */
function historyValues(from: OrderStatus, to: OrderStatus, event: OrderEvent): unknown[] {
  const detail = event.detail === undefined ? null : JSON.stringify(event.detail);
  return [event.event, from, to, event.source, event.notificationId ?? null, detail, event.now];
}

/**
 * Nulls become absent fields and timestamps Dates, as on the entity (the ORM's connections hand timestamps over
 * as text, for its own hydration).
 */
function orderFromRow(row: Record<string, unknown>, dates: ReadonlySet<string>): Order {
  const order: Record<string, unknown> = {};
  for (const key in row) {
    const value = row[key];
    if (value !== null) order[key] = dates.has(key) ? new Date(value as string) : value;
  }
  return order as unknown as Order;
}

/** The statements that read an order, built once from the entity's mapping: each column arrives under its property name. */
function orderStatements(meta: EntityMetadata<Order>) {
  const columnOf = Object.fromEntries(meta.props.map((prop) => [prop.name, prop.fieldNames[0]])) as Record<keyof Order, string>;
  const columns = meta.props.map((prop) => `"${prop.fieldNames[0]}" as "${prop.name}"`).join(', ');
  const lock = (where: string) => `select ${columns} from orders where ${where} for update`;
  const dates = new Set(meta.props.filter((prop) => prop.runtimeType === 'Date').map((prop) => prop.name));
  const columnTypes = Object.fromEntries(meta.props.map((prop) => [prop.fieldNames[0], prop.columnTypes[0]])) as Record<string, string>;
  return {
    columnOf,
    columns,
    dates,
    columnTypes,
    lockOwned: lock('id = ? and user_id = ?'),
    lockById: lock('id = ?'),
    lockByOutTradeNo: lock('out_trade_no = ?'),
  };
}
