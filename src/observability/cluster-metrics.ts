import { AggregatorRegistry, type Registry } from 'prom-client';

/**
 * Metrics across `API_WORKERS` processes. Each worker hands its registry to prom-client, which answers the
 * primary over the cluster's IPC channel; the primary sums counters and histograms (gauges per worker) on request
 * and serves the sum on the metrics listener.
 */
export function shareMetricsWithPrimary(registry: Registry): void {
  AggregatorRegistry.setRegistries([registry]);
}

export function clusterMetricsSource(): { contentType: string; render(): Promise<string> } {
  const aggregator = new AggregatorRegistry();
  return { contentType: aggregator.contentType, render: () => aggregator.clusterMetrics() };
}
