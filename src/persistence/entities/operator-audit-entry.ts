import { EntitySchema } from '@mikro-orm/core';

/** One operator action: who (the key's id, never the key), what, on which order or refund, and when. */
export class OperatorAuditEntry {
  id!: string;
  keyId!: string;
  action!: string;
  orderId?: string;
  refundId?: string;
  requestId?: string;
  detail?: Record<string, unknown>;
  createdAt: Date = new Date();
}

export const OperatorAuditEntrySchema = new EntitySchema<OperatorAuditEntry>({
  class: OperatorAuditEntry,
  tableName: 'operator_audit_log',
  properties: {
    id: { type: 'bigint', primary: true, autoincrement: true },
    keyId: { type: 'string', length: 64, fieldName: 'key_id' },
    action: { type: 'string', length: 48 },
    orderId: { type: 'uuid', fieldName: 'order_id', nullable: true },
    refundId: { type: 'uuid', fieldName: 'refund_id', nullable: true },
    requestId: { type: 'string', length: 128, fieldName: 'request_id', nullable: true },
    detail: { type: 'json', nullable: true },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});
