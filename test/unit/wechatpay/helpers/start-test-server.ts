import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signAsWechatPay, type WechatPaySigningKey } from './test-credentials';

/**
 * A deliberately tiny HTTP server for the transport tests: it records what arrives and answers with scripted
 * replies. The full sandbox WeChat Pay lives in sandbox/; this only exercises our client's HTTP behaviour.
 */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
}

export type Reply = (request: RecordedRequest, response: ServerResponse) => void;

export interface TestServer {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Replies for the next requests in order; the last one repeats. */
  replyWith(...replies: Reply[]): void;
  close(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  let replies: Reply[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawBody: Buffer.concat(chunks) };
      requests.push(recorded);
      const reply = replies.length > 1 ? replies.shift() : replies[0];
      if (reply) reply(recorded, res);
      else res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    replyWith: (...next) => {
      replies = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A signed answer, as WeChat Pay sends on 2xx. `headerOverrides` fake a bad serial, a probe, a stale timestamp. */
export function signedReply(status: number, body: string, key: WechatPaySigningKey, now: () => Date, headerOverrides: Record<string, string> = {}): Reply {
  return (_request, response) => {
    const headers = { ...signAsWechatPay(key, body, now(), headerOverrides), 'Request-ID': `08F5TEST${status}-0` };
    response.writeHead(status, body ? { 'Content-Type': 'application/json', ...headers } : headers).end(body);
  };
}

/** An unsigned answer, as WeChat Pay may send on 4xx/5xx (or a forger on 2xx). */
export function unsignedReply(status: number, body: string, requestId = `08F5ERR${status}-268435461`): Reply {
  return (_request, response) => {
    response.writeHead(status, { 'Content-Type': 'application/json', 'Request-ID': requestId }).end(body);
  };
}

/** Never answers: the client's timeout has to fire. */
export const silentReply: Reply = () => undefined;

/** Drops the connection mid-request: the client sees a reset. */
export const destroyConnection: Reply = (_request, response) => {
  response.socket?.destroy();
};
