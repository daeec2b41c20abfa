/**
 * Metrics of an API cluster (API_PROCESSES > 1): each worker keeps its own registry, and the primary
 * asks every worker for it over the cluster's IPC channel and serves the sum (prom-client's
 * AggregatorRegistry): counters and histograms add up, as do gauges such as the live streams and the
 * processes' CPU and memory; event-loop lag is averaged. The primary's own process is not in it.
 */
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { MetricsSource } from '../config/metrics-server.js';

/**
 * In a worker: from now on, answer the primary's requests; with no metrics until the registry is given
 * (the API is still being built), so a scrape meanwhile is not held up waiting for this worker.
 */
export function answerPrimaryMetrics(): { serve: (registry: Registry) => void } {
  AggregatorRegistry.setRegistries([]);
  // prom-client attaches the worker's IPC listener only when an AggregatorRegistry is constructed.
  new AggregatorRegistry();
  return { serve: (registry) => AggregatorRegistry.setRegistries(registry) };
}

/** In the primary: every worker's metrics, summed at each scrape. */
export function summedWorkerMetrics(): MetricsSource {
  const aggregator = new AggregatorRegistry();
  return { metrics: () => aggregator.clusterMetrics(), contentType: aggregator.contentType };
}
