import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

const ACCEPTED = /^[A-Za-z0-9._:-]{8,128}$/;

/** Keeps a caller's well-formed `X-Request-Id` (for tracing across services), otherwise a fresh UUID; echoed back. */
export function assignRequestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && ACCEPTED.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}
