import { EntitySchema } from '@mikro-orm/core';

/** The first answer given for a caller's Idempotency-Key, replayed for the same key and body. */
export class IdempotencyRecord {
  userId!: string;
  key!: string;
  /** SHA-256 of the canonical request body: a different body under the same key is refused. */
  requestHash!: string;
  responseStatus!: number;
  /** The answer as first written (text, not jsonb, so a replay is byte-identical). */
  responseBody!: string;
  createdAt: Date = new Date();
}

export const IdempotencyRecordSchema = new EntitySchema<IdempotencyRecord>({
  class: IdempotencyRecord,
  tableName: 'idempotency_keys',
  properties: {
    userId: { type: 'uuid', fieldName: 'user_id', primary: true },
    key: { type: 'string', length: 128, primary: true },
    requestHash: { type: 'string', length: 64 },
    responseStatus: { type: 'smallint' },
    responseBody: { type: 'text' },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});
