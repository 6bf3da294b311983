import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { readNotificationBody, type BodyRead } from '../../../src/http/read-notification-body';

/** A request stream with these headers; the test writes the body and ends, breaks or destroys it. */
function incoming(headers: Record<string, string>): PassThrough & IncomingMessage {
  return Object.assign(new PassThrough(), { headers }) as unknown as PassThrough & IncomingMessage;
}

const LIMIT = 16;

const refusal = (read: BodyRead) => (read.ok ? undefined : { status: read.err.status, type: read.err.type, message: read.err.message });

describe('reading a notification body', () => {
  describe('given a body within the limit, as long as Content-Length says', () => {
    it('resolves with its bytes', async () => {
      const req = incoming({ 'content-length': '11' });
      const reading = readNotificationBody(req, LIMIT);
      req.write('{"id":');
      req.end('"x1"}');
      expect(await reading).toEqual({ ok: true, body: Buffer.from('{"id":"x1"}') });
    });
  });

  describe('given a body of exactly the limit without Content-Length', () => {
    it('resolves with its bytes', async () => {
      const req = incoming({ 'transfer-encoding': 'chunked' });
      const reading = readNotificationBody(req, LIMIT);
      req.end('x'.repeat(LIMIT));
      expect(await reading).toEqual({ ok: true, body: Buffer.from('x'.repeat(LIMIT)) });
    });
  });

  describe('given a Content-Length over the limit', () => {
    it('refuses it as raw-body does (413 entity.too.large) once the body has been read off', async () => {
      const req = incoming({ 'content-length': String(LIMIT + 1) });
      let settled = false;
      const reading = readNotificationBody(req, LIMIT).finally(() => (settled = true));
      await new Promise((resolve) => setImmediate(resolve));
      expect(settled).toBe(false);
      req.end('x'.repeat(LIMIT + 1));
      expect(refusal(await reading)).toEqual({ status: 413, type: 'entity.too.large', message: 'request entity too large' });
    });
  });

  describe('given a body that passes the limit on the way', () => {
    it('refuses it with 413 entity.too.large', async () => {
      const req = incoming({ 'transfer-encoding': 'chunked' });
      const reading = readNotificationBody(req, LIMIT);
      req.write('x'.repeat(LIMIT));
      req.end('x');
      expect(refusal(await reading)).toEqual({ status: 413, type: 'entity.too.large', message: 'request entity too large' });
    });
  });

  describe('given fewer bytes than Content-Length announced before the end', () => {
    it('refuses it with 400 request.size.invalid', async () => {
      const req = incoming({ 'content-length': '10' });
      const reading = readNotificationBody(req, LIMIT);
      req.end('12345');
      expect(refusal(await reading)).toEqual({ status: 400, type: 'request.size.invalid', message: 'request size did not match content length' });
    });
  });

  describe('given a stream that fails midway', () => {
    it("refuses it with 400 and the stream's error message instead of rejecting or throwing", async () => {
      const req = incoming({ 'content-length': '10' });
      const reading = readNotificationBody(req, LIMIT);
      req.write('12345');
      req.destroy(new Error('socket hang up'));
      expect(refusal(await reading)).toEqual({ status: 400, type: 'request.aborted', message: 'socket hang up' });
    });
  });

  describe('given a stream closed before its end', () => {
    it('refuses it with 400 request.aborted', async () => {
      const req = incoming({ 'content-length': '10' });
      const reading = readNotificationBody(req, LIMIT);
      req.write('12345');
      req.destroy();
      expect(refusal(await reading)).toEqual({ status: 400, type: 'request.aborted', message: 'request aborted' });
    });
  });
});
