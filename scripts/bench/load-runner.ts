/**
 * One load run, in a process of its own so the load generator never shares an event loop with what it measures.
 * Reads a spec file (argv[2]) and prints one JSON line with the figures. Requests go to 127.0.0.1 only.
 */
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';

export interface LoadTarget {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadSpec {
  url: string;
  connections: number;
  seconds: number;
  targetsFile: string;
  /** Each target is sent once; the run ends when they are used up (distinct notifications, first sessions). */
  once?: boolean;
  /** A header made unique per request (Idempotency-Key for orders created). */
  uniqueHeader?: string;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  exhausted: boolean;
}

async function main(): Promise<void> {
  const spec = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as LoadSpec;
  const url = new URL(spec.url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error(`load runs only against loopback, not ${url.hostname}`);
  const targets = JSON.parse(readFileSync(spec.targetsFile, 'utf8')) as LoadTarget[];
  let next = 0;
  let exhausted = false;
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    timeout: 10,
    requests: [
      {
        setupRequest: (request: Record<string, unknown>) => {
          if (spec.once && next >= targets.length && !exhausted) {
            exhausted = true;
            setImmediate(() => instance.stop());
          }
          const target = targets[next++ % targets.length] as LoadTarget;
          const headers = { ...target.headers };
          if (spec.uniqueHeader) headers[spec.uniqueHeader] = `bench-${process.pid}-${next}`;
          return { ...request, method: target.method, path: target.path, headers, body: target.body };
        },
      },
    ],
  });
  const result = await instance;
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = Number((stat as { count: number }).count);
  const requests = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  const out: LoadResult = {
    requests,
    seconds: result.duration,
    perSecond: requests / result.duration,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    statusCodes,
    errors: result.errors,
    timeouts: result.timeouts,
    exhausted,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
