import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { readContract } from '../../../src/http/contract';
import { documentedStatusCheck, failOnUndocumentedStatus } from '../../../src/http/documented-statuses';

type Json = Record<string, Record<string, Record<string, Record<string, unknown>>>>;

/** The contract as it was before GET /payments/{orderId}/status documented 413 and 503. */
function contractWithout(path: string, method: string, ...statuses: string[]): Record<string, unknown> {
  const contract = structuredClone(readContract()) as Json;
  const responses = contract.paths?.[path]?.[method]?.responses as Record<string, unknown>;
  for (const status of statuses) delete responses[status];
  return contract;
}

describe('answers whose status openapi.yaml does not document', () => {
  const logged: unknown[] = [];
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    const app = express();
    app.use((req, _res, next) => {
      req.log = { error: (...args: unknown[]) => logged.push(args) } as unknown as typeof req.log;
      next();
    });
    app.use(failOnUndocumentedStatus(documentedStatusCheck(contractWithout('/payments/{orderId}/status', 'get', '413', '503'))));
    // What a body parser, a handler or the error handler would write: the status is the point, not the body.
    app.get('/payments/:orderId/status', (req, res) => void res.status(Number(req.query.answer)).json({ status: 'pending', lock_expire_at: 'x' }));
    app.use((_req, res) => void res.status(404).json({ code: 'NOT_FOUND' }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  describe.each([413, 503])('given an operation answering %i, which its responses do not list', (status) => {
    it('turns the answer into a 500, names the status and logs an error', async () => {
      logged.length = 0;
      const answer = await fetch(`${baseUrl}/payments/abc/status?answer=${status}`);
      expect(answer.status).toBe(500);
      expect(answer.headers.get('x-undocumented-status')).toBe(String(status));
      expect(logged).toEqual([[expect.objectContaining({ status }), 'answer status not documented in openapi.yaml']]);
    });
  });

  describe('given a documented status', () => {
    it('lets it through', async () => {
      expect((await fetch(`${baseUrl}/payments/abc/status?answer=429`)).status).toBe(429);
      expect((await fetch(`${baseUrl}/payments/abc/status?answer=200`)).status).toBe(200);
    });
  });

  describe('given a route outside every operation', () => {
    it('lets a catalogued problem status through', async () => {
      expect((await fetch(`${baseUrl}/nowhere`)).status).toBe(404);
    });
  });
});
