import { EntitySchema } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** A traveler, known by the openid WeChat gives for our Mini Program. */
export class User {
  id: string = randomUUID();
  openid!: string;
  /** From jscode2session; stays on the server (never in a response or a log). */
  sessionKey?: string;
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
}

export const UserSchema = new EntitySchema<User>({
  class: User,
  tableName: 'users',
  properties: {
    id: { type: 'uuid', primary: true },
    openid: { type: 'string', length: 128, unique: true },
    sessionKey: { type: 'text', nullable: true },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    updatedAt: { type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() },
  },
});
