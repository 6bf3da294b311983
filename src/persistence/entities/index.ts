import { IdempotencyRecordSchema } from './idempotency-record';
import { OperatorAuditEntrySchema } from './operator-audit-entry';
import { OrderSchema } from './order';
import { PaymentStatusHistorySchema } from './payment-status-history';
import { RefundSchema } from './refund';
import { UserSchema } from './user';

export const entitySchemas = [UserSchema, OrderSchema, PaymentStatusHistorySchema, IdempotencyRecordSchema, RefundSchema, OperatorAuditEntrySchema];
