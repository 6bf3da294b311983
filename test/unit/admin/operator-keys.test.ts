import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { developmentOperatorKey } from '../../../src/admin/development-operator-key';
import { createOperatorKeys, operatorKeyId, readOperatorKey } from '../../../src/admin/operator-keys';
import { createLogger } from '../../../src/observability/logger';

const KEY_A = 'operator-key-a-0123456789abcdefghijklmnop';
const KEY_B = 'operator-key-b-0123456789abcdefghijklmnop';

describe('operator keys', () => {
  describe('given two configured keys', () => {
    const keys = createOperatorKeys([KEY_A, KEY_B]);

    it('names the operator of each by its key id', () => {
      expect(keys.verify(KEY_B)).toEqual({ keyId: operatorKeyId(KEY_B) });
    });

    it('refuses a key that differs in its last character', () => {
      expect(keys.verify(`${KEY_A.slice(0, -1)}q`)).toBeUndefined();
    });

    it('refuses a prefix of a key', () => {
      expect(keys.verify(KEY_A.slice(0, 32))).toBeUndefined();
    });
  });

  describe('the key id', () => {
    it('is key_ and 12 hex digits that do not contain the key', () => {
      expect(operatorKeyId(KEY_A)).toMatch(/^key_[0-9a-f]{12}$/);
      expect(operatorKeyId(KEY_A)).not.toBe(operatorKeyId(KEY_B));
    });
  });

  describe('reading Authorization', () => {
    it('takes a bearer value of 32 printable characters or more', () => {
      expect(readOperatorKey(`Bearer ${KEY_A}`)).toBe(KEY_A);
    });

    it('ignores a short value, another scheme, or nothing', () => {
      expect([readOperatorKey('Bearer short'), readOperatorKey(`Basic ${KEY_A}`), readOperatorKey(undefined)]).toEqual([undefined, undefined, undefined]);
    });
  });
});

describe('the development operator key', () => {
  function logged(): { lines: string[]; logger: ReturnType<typeof createLogger> } {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    return { lines, logger: createLogger('info', destination) };
  }

  describe('given an empty data folder', () => {
    it('writes a key of 43 characters to admin-api-key with mode 0600', () => {
      const dir = mkdtempSync(join(tmpdir(), 'operator-key-'));
      const key = developmentOperatorKey(dir, logged().logger);
      expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(readFileSync(join(dir, 'admin-api-key'), 'utf8').trim()).toBe(key);
      expect(statSync(join(dir, 'admin-api-key')).mode & 0o777).toBe(0o600);
    });

    it('logs the path of the file, never the key', () => {
      const dir = mkdtempSync(join(tmpdir(), 'operator-key-'));
      const { lines, logger } = logged();
      const key = developmentOperatorKey(dir, logger);
      expect(lines.join('')).toContain(join(dir, 'admin-api-key'));
      expect(lines.join('')).not.toContain(key);
    });
  });

  describe('given a key generated before', () => {
    it('keeps it', () => {
      const dir = mkdtempSync(join(tmpdir(), 'operator-key-'));
      const first = developmentOperatorKey(dir, logged().logger);
      expect(developmentOperatorKey(dir, logged().logger)).toBe(first);
    });
  });
});
