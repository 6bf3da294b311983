import { DriverException } from '@mikro-orm/core';
import { DatabaseError } from 'pg';
import pino, { type Logger } from 'pino';

// One masking rule for the whole service: the SDK's, which logs openids too.
export { maskOpenid } from '../wechatpay-sdk';

export type { Logger };

/**
 * Secrets never reach a log line: keys, signatures and tokens are censored wherever they appear
 * under these names; openids are masked by `maskOpenid` before they are logged.
 */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.paySign',
  '*.session_key',
  '*.token',
  '*.privateKey',
  '*.apiV3Key',
  '*.merchantPrivateKeyPem',
  '*.jwtSecret',
  'paySign',
  'session_key',
  'token',
];

/**
 * Database errors carry the failed SQL with its values inlined (an openid, a session_key, a prepay body) and
 * PostgreSQL's detail (`Key (openid)=(…)`): log what identifies the failure, never the values.
 */
export function serializeError(value: unknown): unknown {
  // pino-http hands its error serializer pino's serialized copy; the original error is its `raw`.
  const err = value !== null && typeof value === 'object' && 'raw' in value ? value.raw : value;
  // node-postgres's own error, from a prepared read: its message and detail can quote values too.
  if (!(err instanceof DriverException) && !(err instanceof DatabaseError)) return pino.stdSerializers.err(err as Error);
  const { code, constraint, table, routine } = err as DriverException & { constraint?: string; table?: string; routine?: string };
  return { type: err.name, code, constraint, table, routine, message: `database error${code ? ` ${code}` : ''} (values withheld)` };
}

/**
 * JSON lines to stdout, or to `destination` (tests read what would be logged). Stdout is written asynchronously:
 * lines that queue while a write is in flight go out in one system call instead of one each; pino flushes at exit.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: serializeError },
    base: { service: 'wechat-payment-session' },
  };
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false }));
}
