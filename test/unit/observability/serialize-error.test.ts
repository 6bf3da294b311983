import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { Writable } from 'node:stream';
import { DatabaseError } from 'pg';
import pino from 'pino';
import { maskOpenid, serializeError } from '../../../src/observability/logger';

function failedInsert(): UniqueConstraintViolationException {
  const driverError = Object.assign(
    new Error(
      `insert into users (openid, session_key) values ('oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', 'HyVFkGl5F5OQWJZZaNzBBg==') - duplicate key value violates unique constraint "users_openid_key"`,
    ),
    { code: '23505', constraint: 'users_openid_key', table: 'users', detail: 'Key (openid)=(oUpF8uMuAJO_M2pxb1Q9zNjWeS6o) already exists.' },
  );
  return new UniqueConstraintViolationException(driverError);
}

describe('log serialization', () => {
  describe('given a database error', () => {
    it('keeps its code and constraint in the log and withholds the SQL values and detail', () => {
      const lines: string[] = [];
      const logger = pino({ serializers: { err: serializeError } }, new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
      logger.error({ err: failedInsert() }, 'login failed');
      const line = lines.join('');
      expect(line).toContain('"code":"23505"');
      expect(line).toContain('users_openid_key');
      expect(line).not.toContain('oUpF8uMuAJO_M2pxb1Q9zNjWeS6o');
      expect(line).not.toContain('HyVFkGl5F5OQWJZZaNzBBg==');
    });
  });

  describe('given a database error already serialized by pino-http (its copy, with the original as raw)', () => {
    it('withholds the values all the same', () => {
      const line = JSON.stringify(serializeError(pino.stdSerializers.err(failedInsert())));
      expect(line).toContain('users_openid_key');
      expect(line).not.toContain('oUpF8uMuAJO_M2pxb1Q9zNjWeS6o');
    });
  });

  describe("given node-postgres's own error (a prepared read)", () => {
    it('keeps its code and withholds its message and detail', () => {
      const err = Object.assign(new DatabaseError('invalid input syntax for type uuid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"', 90, 'error'), {
        code: '22P02',
        detail: 'Key (openid)=(oUpF8uMuAJO_M2pxb1Q9zNjWeS6o)',
      });
      const line = JSON.stringify(serializeError(err));
      expect(line).toContain('22P02');
      expect(line).not.toContain('oUpF8uMuAJO_M2pxb1Q9zNjWeS6o');
    });
  });

  describe('given any other error', () => {
    it('serializes it as usual', () => {
      expect(serializeError(new Error('boom'))).toMatchObject({ type: 'Error', message: 'boom' });
    });
  });

  it('masks openids to their first and last four characters', () => {
    expect(maskOpenid('oUpF8uMuAJO_M2pxb1Q9zNjWeS6o')).toBe('oUpF…eS6o');
    expect(maskOpenid('short')).toBe('****');
  });
});
