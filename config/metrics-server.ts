/** /metrics on a port of its own (METRICS_PORT), for the API and the worker alike: nothing else is served there. */
import http from 'node:http';

/** A registry, or anything answering like one: the API cluster's primary sums its workers' (api/cluster-metrics.ts). */
export interface MetricsSource {
  metrics: () => Promise<string>;
  readonly contentType: string;
}

export async function serveMetrics(registry: MetricsSource, host: string, port: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
