import type { OrderStatus } from './entities/order';

/** What a status poll needs of an order, with its owner so that ownership is checked on every hit. */
export interface CachedOrderStatus {
  userId: string;
  status: OrderStatus;
  lockExpireAt: Date;
  outTradeNo?: string;
  /** Refunds not CLOSED or REJECTED, and those that succeeded (fen): the status answer's `refund` object. */
  refundAmount: number;
  refundedAmount: number;
}

export interface OrderStatusCacheOptions {
  /** 0 turns the cache off: every poll reads the database. */
  maxEntries: number;
  /** Bounds how long an entry can outlive a change whose notification was lost without the connection dropping. */
  maxAgeMs: number;
  now?: () => number;
}

/** An entry as kept: one flat object per order (a Date and a wrapper per entry cost more than the rest together). */
interface KeptStatus {
  userId: string;
  status: OrderStatus;
  lockExpireAtMs: number;
  outTradeNo: string | undefined;
  refundAmount: number;
  refundedAmount: number;
  storedAt: number;
}

interface Reading {
  stale: boolean;
  readers: number;
}

/**
 * Polled order statuses kept in memory, true to the database because every change to an order is announced
 * (PostgreSQL NOTIFY from a trigger, and this instance's own commits) and drops the entry. Entries are kept only
 * while the announcements are heard: when the listener loses its connection everything is dropped and polls read
 * the database until it listens again. A read that overlaps a change is answered but not kept.
 */
export class OrderStatusCache {
  private readonly entries = new Map<string, KeptStatus>();
  /** One string per status rather than one per entry (each row read brings its own copy). */
  private readonly statuses = new Map<string, OrderStatus>();
  private readonly reading = new Map<string, Reading>();
  private listening = false;
  private generation = 0;
  private readonly now: () => number;

  constructor(private readonly options: OrderStatusCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The listener's LISTEN is in place: changes from now on will be heard. */
  startTrusting(): void {
    this.dropAll();
    this.listening = true;
  }

  /** The listener lost its connection: a change may go unheard, so nothing kept can be trusted. */
  stopTrusting(): void {
    this.listening = false;
    this.dropAll();
  }

  /** An order changed (committed): its entry goes, and a read in flight for it is not kept. */
  invalidate(orderId: string): void {
    this.entries.delete(orderId);
    const reading = this.reading.get(orderId);
    if (reading) reading.stale = true;
  }

  async read(orderId: string, load: () => Promise<CachedOrderStatus | null>): Promise<CachedOrderStatus | null> {
    if (this.options.maxEntries === 0 || !this.listening) return load();
    const hit = this.entries.get(orderId);
    if (hit && this.now() - hit.storedAt < this.options.maxAgeMs) return answer(hit);
    if (hit) this.entries.delete(orderId);
    return this.loadAndKeep(orderId, load);
  }

  private async loadAndKeep(orderId: string, load: () => Promise<CachedOrderStatus | null>): Promise<CachedOrderStatus | null> {
    const generation = this.generation;
    const reading = this.reading.get(orderId) ?? { stale: false, readers: 0 };
    reading.readers++;
    this.reading.set(orderId, reading);
    try {
      const value = await load();
      // Unknown orders are not kept: the entry would have to be dropped when the order is created.
      if (value && !reading.stale && this.listening && generation === this.generation) this.keep(orderId, value);
      return value;
    } finally {
      if (--reading.readers === 0) this.reading.delete(orderId);
    }
  }

  private keep(orderId: string, value: CachedOrderStatus): void {
    this.entries.delete(orderId);
    this.entries.set(flatCopy(orderId), {
      userId: value.userId,
      status: this.oneStringFor(value.status),
      lockExpireAtMs: value.lockExpireAt.getTime(),
      outTradeNo: value.outTradeNo,
      refundAmount: value.refundAmount,
      refundedAmount: value.refundedAmount,
      storedAt: this.now(),
    });
    // Bounded: the oldest entry goes first (a Map iterates in insertion order).
    if (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  private oneStringFor(status: OrderStatus): OrderStatus {
    const known = this.statuses.get(status);
    if (known) return known;
    this.statuses.set(status, status);
    return status;
  }

  private dropAll(): void {
    this.generation++;
    this.entries.clear();
    for (const reading of this.reading.values()) reading.stale = true;
  }
}

function answer(kept: KeptStatus): CachedOrderStatus {
  const { userId, status, refundAmount, refundedAmount, outTradeNo } = kept;
  const value: CachedOrderStatus = { userId, status, lockExpireAt: new Date(kept.lockExpireAtMs), refundAmount, refundedAmount };
  if (outTradeNo !== undefined) value.outTradeNo = outTradeNo;
  return value;
}

/**
 * The order id as a string of its own. The caller's is often a slice of the request path (a route parameter), and
 * a kept slice keeps the whole path alive with it.
 */
function flatCopy(orderId: string): string {
  return Buffer.from(orderId, 'utf8').toString('utf8');
}
