import { generatePrepayId, generateTransactionId } from './generate-wechat-ids';

/** REFUND: paid, then (partly) refunded; WeChat's query answers it instead of SUCCESS. */
export type TradeState = 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'PAYERROR' | 'REFUND';

/** A validated prepay body (`POST /v3/pay/transactions/jsapi`). */
export interface PrepayOrder {
  appid: string;
  mchid: string;
  description: string;
  out_trade_no: string;
  notify_url: string;
  time_expire?: string;
  attach?: string;
  amount: { total: number; currency: string };
  payer: { openid: string };
}

export interface SandboxTransaction {
  order: PrepayOrder;
  createdAt: Date;
  /** When WeChat stops accepting payment: `time_expire` raised to ≥ creation + 1 min, else 7 days. */
  expiresAt: Date;
  /** Every well-formed prepay body received for this out_trade_no, exact bytes, first one first. */
  prepayBodies: string[];
  prepayIds: { prepayId: string; createdAt: Date }[];
  state: TradeState;
  transactionId?: string;
  successTime?: Date;
}

const MINUTE_MS = 60 * 1000;
/** prepay_id is valid 2 hours, independent of time_expire. */
export const PREPAY_ID_LIFETIME_MS = 120 * MINUTE_MS;
const DEFAULT_ORDER_LIFETIME_MS = 7 * 24 * 60 * MINUTE_MS;

function computeExpiry(order: PrepayOrder, createdAt: Date): Date {
  if (order.time_expire === undefined) return new Date(createdAt.getTime() + DEFAULT_ORDER_LIFETIME_MS);
  // WeChat silently raises time_expire to at least one minute after the order
  return new Date(Math.max(Date.parse(order.time_expire), createdAt.getTime() + MINUTE_MS));
}

/** Orders of the sandbox merchant, in memory, keyed by out_trade_no. */
export class TransactionsStore {
  private readonly byOutTradeNo = new Map<string, SandboxTransaction>();
  private readonly byPrepayId = new Map<string, SandboxTransaction>();

  /** An unpaid order past its expiry is closed, as WeChat closes it. */
  find(outTradeNo: string, now: Date): SandboxTransaction | undefined {
    const transaction = this.byOutTradeNo.get(outTradeNo);
    if (transaction?.state === 'NOTPAY' && now.getTime() > transaction.expiresAt.getTime()) transaction.state = 'CLOSED';
    return transaction;
  }

  findByTransactionId(transactionId: string): SandboxTransaction | undefined {
    return [...this.byOutTradeNo.values()].find((transaction) => transaction.transactionId === transactionId);
  }

  findByPrepayId(prepayId: string, now: Date): SandboxTransaction | undefined {
    const transaction = this.byPrepayId.get(prepayId);
    return transaction && this.find(transaction.order.out_trade_no, now);
  }

  create(order: PrepayOrder, rawBody: string, now: Date): SandboxTransaction {
    const transaction: SandboxTransaction = {
      order,
      createdAt: now,
      expiresAt: computeExpiry(order, now),
      prepayBodies: [rawBody],
      prepayIds: [],
      state: 'NOTPAY',
    };
    this.byOutTradeNo.set(order.out_trade_no, transaction);
    return transaction;
  }

  /** The current prepay_id while it is younger than 2 hours, else a new one. */
  issuePrepayId(transaction: SandboxTransaction, now: Date): string {
    const latest = transaction.prepayIds.at(-1);
    if (latest && now.getTime() - latest.createdAt.getTime() < PREPAY_ID_LIFETIME_MS) return latest.prepayId;
    const prepayId = generatePrepayId(now);
    transaction.prepayIds.push({ prepayId, createdAt: now });
    this.byPrepayId.set(prepayId, transaction);
    return prepayId;
  }

  isPrepayIdLive(transaction: SandboxTransaction, prepayId: string, now: Date): boolean {
    const issued = transaction.prepayIds.find((entry) => entry.prepayId === prepayId);
    return issued !== undefined && now.getTime() - issued.createdAt.getTime() < PREPAY_ID_LIFETIME_MS;
  }

  markPaid(transaction: SandboxTransaction, now: Date): void {
    transaction.state = 'SUCCESS';
    transaction.transactionId = generateTransactionId(now);
    transaction.successTime = now;
  }

  /** The bank refused the payment: WeChat ends the transaction in PAYERROR (the traveler may not pay it again). */
  markPayError(transaction: SandboxTransaction): void {
    transaction.state = 'PAYERROR';
  }

  /** Re-entrant: closing a closed transaction changes nothing; an unpaid or failed one becomes CLOSED. */
  close(transaction: SandboxTransaction): void {
    if (transaction.state === 'NOTPAY' || transaction.state === 'PAYERROR') transaction.state = 'CLOSED';
  }
}
