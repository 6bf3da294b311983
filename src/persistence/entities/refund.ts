import { EntitySchema } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Order } from './order';

/**
 * Our state of a refund. WeChat's own words where it has them (PROCESSING, SUCCESS, CLOSED, ABNORMAL); before WeChat
 * accepts the request it is PENDING, and REJECTED when WeChat refused it for good (no refund exists there).
 */
export type RefundStatus = 'PENDING' | 'PROCESSING' | 'SUCCESS' | 'CLOSED' | 'ABNORMAL' | 'REJECTED';

/** One refund of an order: its out_refund_no and the exact body sent to WeChat Pay are committed before the call. */
export class Refund {
  id: string = randomUUID();
  orderId!: string;
  outRefundNo!: string;
  /** Integer fen. */
  amount!: number;
  reason?: string;
  status: RefundStatus = 'PENDING';
  /** The exact JSON body of `POST /v3/refund/domestic/refunds`: every retry re-sends these bytes. */
  requestBody!: string;
  idempotencyKey!: string;
  /** SHA-256 of the request under the Idempotency-Key: the same key with another request is refused. */
  requestHash!: string;
  /** The first answer given for the key, replayed byte for byte. */
  firstAnswer?: string;
  /** The operator key id, or `auto` for the paid-after-cancel job. */
  requestedBy!: string;
  wechatRefundId?: string;
  channel?: string;
  userReceivedAccount?: string;
  /** WeChat's error code when it refused the refund. */
  failureCode?: string;
  failureMessage?: string;
  successTime?: Date;
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
}

export const RefundSchema = new EntitySchema<Refund>({
  class: Refund,
  tableName: 'refunds',
  properties: {
    id: { type: 'uuid', primary: true },
    orderId: { kind: 'm:1', entity: () => Order, fieldName: 'order_id', mapToPk: true },
    outRefundNo: { type: 'string', length: 64, unique: true },
    amount: { type: 'integer' },
    reason: { type: 'string', length: 80, nullable: true },
    status: { type: 'string', length: 16 },
    requestBody: { type: 'text' },
    idempotencyKey: { type: 'string', length: 128, unique: true },
    requestHash: { type: 'string', length: 64 },
    firstAnswer: { type: 'text', nullable: true },
    requestedBy: { type: 'string', length: 64 },
    wechatRefundId: { type: 'string', length: 64, nullable: true },
    channel: { type: 'string', length: 32, nullable: true },
    userReceivedAccount: { type: 'string', length: 128, nullable: true },
    failureCode: { type: 'string', length: 64, nullable: true },
    failureMessage: { type: 'string', length: 256, nullable: true },
    successTime: { type: 'datetime', columnType: 'timestamptz', nullable: true },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    updatedAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});
