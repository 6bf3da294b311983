import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsListenerConfig } from '../config/env';

/** What the listener serves: one registry today, an aggregate over cluster workers later. */
export interface MetricsSource {
  contentType: string;
  render(): Promise<string>;
}

export interface RunningMetricsServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

// Hashing first makes the comparison constant-time whatever the lengths.
const digest = (value: string) => createHash('sha256').update(value).digest();

function hasToken(req: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  const presented = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(presented), digest(token));
}

function answer(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers }).end(body);
}

/**
 * `GET /metrics` on its own port (127.0.0.1 by default), so the public port never shows it; a bearer token when
 * METRICS_TOKEN is set. Plain node:http: nothing of the API's middleware runs here.
 */
export async function startMetricsServer(config: MetricsListenerConfig, source: MetricsSource): Promise<RunningMetricsServer> {
  const server = createServer((req, res) => {
    if (req.url?.split('?', 1)[0] !== '/metrics') return answer(res, 404, 'not found\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
    if (!hasToken(req, config.token)) return answer(res, 401, 'bearer token required\n', { 'WWW-Authenticate': 'Bearer realm="metrics"' });
    source.render().then(
      (text) => answer(res, 200, text, { 'Content-Type': source.contentType }),
      () => answer(res, 500, 'metrics unavailable\n'),
    );
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve((server.address() as AddressInfo).port));
  });
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
