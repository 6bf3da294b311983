import { createHash, timingSafeEqual } from 'node:crypto';

/** Who acts through the operator API: the id of the key used (a digest prefix), never the key. */
export interface Operator {
  keyId: string;
}

export interface OperatorKeys {
  readonly count: number;
  /** The operator a presented key belongs to, or undefined. */
  verify(presented: string): Operator | undefined;
}

const digest = (key: string) => createHash('sha256').update(key, 'utf8').digest();

/** `key_` and the first 12 hex digits of the key's SHA-256: stable, loggable, and says nothing usable about the key. */
export function operatorKeyId(key: string): string {
  return `key_${digest(key).toString('hex').slice(0, 12)}`;
}

/**
 * Only SHA-256 digests of the keys are kept. A presented key is hashed and compared with every stored digest in
 * constant time (timingSafeEqual on equal-length digests, no early exit), so timing tells nothing about any key.
 */
export function createOperatorKeys(keys: readonly string[]): OperatorKeys {
  const stored = keys.map((key) => ({ digest: digest(key), operator: { keyId: operatorKeyId(key) } }));
  return {
    count: stored.length,
    verify(presented) {
      const candidate = digest(presented);
      let match: Operator | undefined;
      for (const entry of stored) if (timingSafeEqual(candidate, entry.digest)) match ??= entry.operator;
      return match;
    },
  };
}

/** The `Authorization: Bearer <operator key>` value, or undefined. */
export function readOperatorKey(authorization: string | undefined): string | undefined {
  const match = /^Bearer ([\x21-\x7e]{32,512})$/.exec(authorization ?? '');
  return match?.[1];
}
