import { IdempotencyRecordSchema } from './idempotency-record';
import { OrderSchema } from './order';
import { PaymentStatusHistorySchema } from './payment-status-history';
import { UserSchema } from './user';

export const entitySchemas = [UserSchema, OrderSchema, PaymentStatusHistorySchema, IdempotencyRecordSchema];
