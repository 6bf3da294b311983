import type { IncomingMessage, ServerResponse } from 'node:http';
import { AggregatorRegistry, type Registry } from 'prom-client';

/**
 * Metrics across `API_WORKERS` processes. Each worker hands its registry to prom-client, which answers the
 * primary over the cluster's IPC channel; the primary sums counters and histograms (gauges per worker) on request.
 * Wire `clusterMetricsListener` to whatever listener serves /metrics in the primary.
 */
export function shareMetricsWithPrimary(registry: Registry): void {
  AggregatorRegistry.setRegistries([registry]);
}

export function clusterMetricsListener(): (req: IncomingMessage, res: ServerResponse) => void {
  const aggregator = new AggregatorRegistry();
  return (_req, res) => {
    aggregator.clusterMetrics().then(
      (body) => res.writeHead(200, { 'content-type': aggregator.contentType }).end(body),
      (err: unknown) => res.writeHead(503, { 'content-type': 'text/plain' }).end(`metrics unavailable: ${String(err)}\n`),
    );
  };
}
