import { EntitySchema } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { components } from '../../../generated/api';

export type OrderStatus = components['schemas']['Order']['status'];

/**
 * An order with its seat lock and, once a session is requested, its one WeChat Pay transaction.
 * The WeChat columns carry WeChat's names (`out_trade_no`, `trade_state`); a trigger mirrors them into the
 * design's `payment_token` and `payment_status`, which older readers still use.
 */
export class Order {
  id: string = randomUUID();
  userId!: string;
  /** Integer fen. */
  amount!: number;
  description!: string;
  status: OrderStatus = 'pending';
  lockExpireAt!: Date;
  wechatPrepayId?: string;
  /** The merchant's id of the one WeChat Pay transaction of this order. */
  outTradeNo?: string;
  /** WeChat's `trade_state` as we last learned it (NOTPAY, SUCCESS, CLOSED…). */
  tradeState?: string;
  paymentRequestedAt?: Date;
  /** The exact JSON body sent to WeChat Pay: a re-sent out_trade_no must be byte-identical. */
  prepayRequest?: string;
  /** The exact `wx.requestPayment` parameters last answered, replayed byte for byte. */
  paymentParams?: string;
  /** Openid the transaction was created for; notifications must name the same payer. */
  payerOpenid?: string;
  wechatTransactionId?: string;
  paidAt?: Date;
  /** A payment arrived after the order was cancelled: money to refund. */
  paidAfterCancel = false;
  /** Sum of the refunds that still count (not CLOSED or REJECTED); kept by a database trigger, never written here. */
  refundAmount = 0;
  /** Sum of the refunds WeChat reported SUCCESS; kept by the same trigger. */
  refundedAmount = 0;
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
}

export const OrderSchema = new EntitySchema<Order>({
  class: Order,
  tableName: 'orders',
  properties: {
    id: { type: 'uuid', primary: true },
    userId: { type: 'uuid', fieldName: 'user_id', index: true },
    amount: { type: 'integer' },
    description: { type: 'string', length: 127 },
    status: { type: 'string', length: 16 },
    lockExpireAt: { type: 'datetime', columnType: 'timestamptz' },
    wechatPrepayId: { type: 'string', length: 64, nullable: true },
    outTradeNo: { type: 'string', length: 32, nullable: true, unique: true },
    tradeState: { type: 'string', length: 32, nullable: true },
    paymentRequestedAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
    prepayRequest: { type: 'text', nullable: true },
    paymentParams: { type: 'text', nullable: true },
    payerOpenid: { type: 'string', length: 128, nullable: true },
    wechatTransactionId: { type: 'string', length: 32, nullable: true },
    paidAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
    paidAfterCancel: { type: 'boolean', default: false },
    refundAmount: { type: 'integer', default: 0 },
    refundedAmount: { type: 'integer', default: 0 },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    updatedAt: { type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() },
  },
});
