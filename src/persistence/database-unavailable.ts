import { ConnectionException } from '@mikro-orm/core';

// Node's socket errors when PostgreSQL is down, restarting or unreachable.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// PostgreSQL's own: class 08 (connection exception), 57P01–57P03 (shutting down, crashed, starting up), 53300 (too many connections).
const SQLSTATE_CODES = new Set(['08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03', '53300']);
// node-postgres and knex say so in words only.
const MESSAGES = [/^Connection terminated/, /^Knex: Timeout acquiring a connection/, /^Client has encountered a connection error/];

function describesOutage(err: object): boolean {
  if (err instanceof ConnectionException) return true;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || SQLSTATE_CODES.has(code))) return true;
  return typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message));
}

/**
 * The database could not be reached, as opposed to refusing a statement: the request may succeed unchanged
 * once PostgreSQL is back (the pool reconnects by itself). Looks through `cause`, where MikroORM keeps the driver's error.
 * A bare socket error counts too: the pool hands those out unwrapped, and the only other outbound calls (WeChat Pay,
 * WeChat login) reach the error handler as their own classified errors, never as socket errors.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let at = err, depth = 0; at !== null && typeof at === 'object' && depth < 5; at = (at as { cause?: unknown }).cause, depth++) {
    if (describesOutage(at)) return true;
  }
  return false;
}
