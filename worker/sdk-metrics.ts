/**
 * The Temporal SDK's own metrics (its Rust core's): workflow task failures, which is how a
 * nondeterminism error or a workflow code bug shows while the workflow itself stays open; task latencies,
 * pollers, the sticky cache. The core serves them in Prometheus's format on a loopback port of its own;
 * the worker's METRICS_PORT serves them after the worker's metrics, so one scrape target has both.
 */
import net from 'node:net';
import type { RuntimeOptions } from '@temporalio/worker';
import type { MetricsSource } from '../config/metrics-server.js';

export interface SdkMetrics {
  telemetryOptions: NonNullable<RuntimeOptions['telemetryOptions']>;
  /** The worker's registry followed by the SDK's series; the worker's alone if the SDK's do not answer. */
  withSdkMetrics(registry: MetricsSource): MetricsSource;
}

/** A loopback port free now: the OS picks it, we release it, the SDK binds it. */
async function freeLoopbackPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function sdkMetrics(): Promise<SdkMetrics> {
  const address = `127.0.0.1:${await freeLoopbackPort()}`;
  return {
    telemetryOptions: {
      metrics: {
        // Prometheus's conventions, as prom-client's series follow them: `_total` counters, seconds.
        prometheus: { bindAddress: address, countersTotalSuffix: true, useSecondsForDurations: true },
      },
    },
    withSdkMetrics: (registry) => ({
      contentType: registry.contentType,
      metrics: async () => {
        const own = await registry.metrics();
        try {
          const response = await fetch(`http://${address}/metrics`, { signal: AbortSignal.timeout(2000) });
          return response.ok ? `${own}\n${await response.text()}` : own;
        } catch {
          return own;
        }
      },
    }),
  };
}
