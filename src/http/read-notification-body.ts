import type { IncomingMessage } from 'node:http';
import { finished } from 'node:stream';

/** 64 KB: no notification comes near it. The Express routes' `express.raw` limit too. */
export const NOTIFICATION_BODY_LIMIT = 64 * 1024;

/** WeChat's answer shape for a body too large, cut off or of the wrong length: a 4xx, never a 5xx. */
export const UNREADABLE_BODY = { code: 'FAIL', message: 'body unreadable' } as const;

/** Why a body could not be read, with the status and fields raw-body gives the same failure. */
export class UnreadableBodyError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 413,
    readonly type: string,
    details: { code?: string; expected?: number; length?: number; limit?: number; received?: number },
  ) {
    super(message);
    Object.assign(this, details, { statusCode: status, expose: true });
  }
}

export type BodyRead = { ok: true; body: Buffer } | { ok: false; err: UnreadableBodyError };

/** Content-Length as raw-body reads it (Node's parser has already refused a malformed one). */
function announcedLength(req: IncomingMessage): number | undefined {
  const header = req.headers['content-length'];
  return header === undefined || Number.isNaN(Number(header)) ? undefined : Number(header);
}

/**
 * The body's bytes, as `express.raw` reads them for the Express route: refused at once when Content-Length
 * announces more than the limit, or as soon as more arrives; refused when cut off (aborted, reset, closed before
 * its end) or when its length does not match Content-Length. A refused request is read off to its end before
 * this resolves, as body-parser does, so the answer goes out on a connection that can carry it. Never rejects.
 */
export function readNotificationBody(req: IncomingMessage, limit = NOTIFICATION_BODY_LIMIT): Promise<BodyRead> {
  const length = announcedLength(req);
  if (length !== undefined && length > limit) {
    return readOff(req, new UnreadableBodyError('request entity too large', 413, 'entity.too.large', { expected: length, length, limit }));
  }
  return new Promise((resolve) => collect(req, length, limit, resolve));
}

/** Reads the rest and drops it; a stream already ended or destroyed calls back at once. */
function readOff(req: IncomingMessage, err: UnreadableBodyError): Promise<BodyRead> {
  return new Promise((resolve) => finished(req.resume(), () => resolve({ ok: false, err })));
}

function collect(req: IncomingMessage, length: number | undefined, limit: number, resolve: (read: BodyRead) => void): void {
  const chunks: Buffer[] = [];
  let received = 0;
  const refuse = (err: UnreadableBodyError) => {
    stop();
    void readOff(req, err).then(resolve);
  };
  const cutOff = (err?: Error) =>
    refuse(new UnreadableBodyError(err?.message ?? 'request aborted', 400, 'request.aborted', { code: 'ECONNABORTED', expected: length, length, received }));
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received > limit) refuse(new UnreadableBodyError('request entity too large', 413, 'entity.too.large', { limit, received }));
    else chunks.push(chunk);
  };
  const onEnd = () => {
    if (length !== undefined && received !== length) {
      refuse(new UnreadableBodyError('request size did not match content length', 400, 'request.size.invalid', { expected: length, length, received }));
      return;
    }
    stop();
    resolve({ ok: true, body: Buffer.concat(chunks, received) });
  };
  const stop = () => req.off('data', onData).off('end', onEnd).off('aborted', cutOff).off('error', cutOff).off('close', cutOff);
  req.on('data', onData).on('end', onEnd).on('aborted', cutOff).on('error', cutOff).on('close', cutOff);
}
