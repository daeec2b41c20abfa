/**
 * Prometheus metrics: process defaults, request durations by route template, and what the business
 * watches of the API: bids by decision and live streams. Counting a bid is one counter increment: the bid
 * route's cost is unchanged (bench/bid.bench.ts).
 */
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** How a bid was answered: accepted, a replay of an accepted one (Idempotency-Key), or refused with a code. */
export type BidDecision = { accepted: true; replayed: boolean } | { accepted: false; code: string };

export interface Metrics {
  registry: Registry;
  observeRequests: RequestHandler;
  serve: RequestHandler;
  bidDecided: (decision: BidDecision) => void;
}

/** `streamCount`: the live SSE streams (the hub's count), read at each scrape; none by default. */
export function createMetrics(streamCount: () => number = () => 0): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const bids = new Counter({
    name: 'gavel_bids_total',
    help: 'Bids answered, by decision (accepted, replayed, refused) and refusal code',
    labelNames: ['decision', 'code'] as const,
    registers: [registry],
  });
  const accepted = bids.labels('accepted', '');
  const replayed = bids.labels('replayed', '');
  new Gauge({
    name: 'gavel_sse_streams',
    help: 'Live SSE streams held open by this process (auctions, sales, users)',
    registers: [registry],
    collect() {
      this.set(streamCount());
    },
  });
  return {
    registry,
    bidDecided: (decision) => {
      if (!decision.accepted) bids.labels('refused', decision.code).inc();
      else (decision.replayed ? replayed : accepted).inc();
    },
    observeRequests: (req, res, next) => {
      // Observed directly rather than through startTimer(), whose two closures, hrtime pairs and merged
      // label objects are paid on every request; `on`, not `once`: a response finishes once anyway.
      const start = performance.now();
      res.on('finish', () => {
        // The route template, not the URL, keeps label cardinality bounded.
        const matched = req.route as { path: string } | undefined;
        const route = matched ? `${req.baseUrl}${matched.path}` : 'unmatched';
        duration.observe(
          { method: req.method, route, status: String(res.statusCode) },
          (performance.now() - start) / 1000,
        );
      });
      next();
    },
    serve: async (_req, res) => {
      res.type(registry.contentType).send(await registry.metrics());
    },
  };
}
