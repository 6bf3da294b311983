import { isIP } from 'node:net';
import type { EnvReader } from './env-reader';

/** Express `trust proxy`: false, a hop count, or addresses and ranges (`loopback`, `10.0.0.0/8`, …). */
export type TrustProxy = false | number | string[];

export interface MetricsListenerConfig {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** When set, `/metrics` answers only `Authorization: Bearer <token>`. */
  token?: string;
}

/** Node's HTTP server timeouts, in ms; see docs/operations.md for how they relate to a proxy's. */
export interface HttpTimeouts {
  keepAliveMs: number;
  headersMs: number;
  requestMs: number;
}

const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.includes(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * `true` is refused: it trusts whatever X-Forwarded-For a client sends, so any client could pick the address
 * the login limit and the logs see.
 */
export function readTrustProxy(read: EnvReader): TrustProxy {
  const raw = read.string('TRUST_PROXY', 'false') as string;
  if (raw === 'false') return false;
  if (/^\d+$/.test(raw)) return read.integer('TRUST_PROXY', 0, 0, 10);
  const entries = raw.split(',').map((entry) => entry.trim());
  const bad = entries.filter((entry) => !isAddressOrRange(entry));
  if (bad.length === 0) return entries;
  read.problems.push(
    `TRUST_PROXY must be false, a hop count (1 for one proxy in front), or a comma-separated list of loopback, linklocal, uniquelocal, IP addresses and CIDR ranges; "${bad.join(', ')}" is none of these`,
  );
  return false;
}

const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'];

export function readMetricsListener(read: EnvReader, production: boolean): MetricsListenerConfig {
  const host = read.string('METRICS_HOST', '127.0.0.1') as string;
  const token = read.string('METRICS_TOKEN');
  if (token !== undefined && token.length < 32) read.problems.push('METRICS_TOKEN must be at least 32 characters');
  if (production && token === undefined && !LOOPBACK_HOSTS.includes(host)) {
    read.problems.push(`METRICS_HOST=${host} serves /metrics beyond this machine: set METRICS_TOKEN as well`);
  }
  return { host, port: read.integer('METRICS_PORT', 9464, 0, 65535), token };
}

/**
 * keep-alive above the proxy's idle timeout (nginx and AWS ALB: 60 s), so the proxy, never Node, closes an idle
 * pooled connection; headers above keep-alive (nodejs/node#27363); the whole request at most `requestMs`.
 */
export function readHttpTimeouts(read: EnvReader): HttpTimeouts {
  const timeouts = {
    keepAliveMs: read.integer('HTTP_KEEP_ALIVE_TIMEOUT_MS', 65_000, 1_000, 3_600_000),
    headersMs: read.integer('HTTP_HEADERS_TIMEOUT_MS', 66_000, 1_000, 3_600_000),
    requestMs: read.integer('HTTP_REQUEST_TIMEOUT_MS', 120_000, 1_000, 3_600_000),
  };
  if (timeouts.headersMs <= timeouts.keepAliveMs) read.problems.push('HTTP_HEADERS_TIMEOUT_MS must be greater than HTTP_KEEP_ALIVE_TIMEOUT_MS');
  if (timeouts.requestMs < timeouts.headersMs) read.problems.push('HTTP_REQUEST_TIMEOUT_MS must be at least HTTP_HEADERS_TIMEOUT_MS');
  return timeouts;
}
