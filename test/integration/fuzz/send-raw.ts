import { Agent, request } from 'node:http';
import type { FuzzRequest } from './fuzz-requests';

export interface RawAnswer {
  status: number;
  contentType: string | null;
  text: string;
}

// A connection per request: a server may close a kept-alive connection whose request body it did not read
// (a GET with a body), and a reused socket would then fail on the client's side, not the server's.
const agent = new Agent({ keepAlive: false });

/** node:http, not fetch: a GET may carry a body, and nothing is added or refused on the way out but invalid header bytes. */
export function sendRaw(baseUrl: string, fuzz: FuzzRequest): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  // Node sends a GET's body without framing unless told its length: the server would read it as a second request.
  const headers = fuzz.body === undefined ? fuzz.headers : { ...fuzz.headers, 'content-length': String(Buffer.byteLength(fuzz.body)) };
  return new Promise((resolve, reject) => {
    const outgoing = request({ agent, host: url.hostname, port: url.port, method: fuzz.method, path: fuzz.path + fuzz.query, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, contentType: response.headers['content-type'] ?? null, text: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(fuzz.body);
  });
}

export function closeRawAgent(): void {
  agent.destroy();
}
