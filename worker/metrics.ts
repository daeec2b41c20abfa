/**
 * The worker's Prometheus metrics, served on METRICS_PORT: process defaults; what the activities report
 * (the persist lag, each delivery attempt); and, read from Postgres at each scrape, the backlogs and
 * states a person is paged for: mail and webhooks waiting, orders past their payment deadline, sales
 * running; and, from Temporal's visibility store, the workflows of this task queue that failed or timed
 * out lately. Every worker reports the same shared figures, so dashboards take their max, not their sum.
 */
import type { Client } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ActivityMetrics } from '../activities/metrics.js';
import type { Database } from '../db/pool.js';

export interface WorkerMetrics {
  registry: Registry;
  activities: ActivityMetrics;
}

type Backlog = {
  outbox: string;
  waiting: number;
  oldest_seconds: number | null;
};

type Orders = { awaiting: number; overdue: number };

/** Orders awaiting payment, and those of them more than 5 minutes past their deadline: one scan. */
async function readOrders(db: Database): Promise<Orders> {
  const { rows } = await db.execute<Orders>(sql`
    SELECT count(*)::int AS awaiting,
           (count(*) FILTER (WHERE pay_by < now() - interval '5 minutes'))::int AS overdue
      FROM orders WHERE status = 'awaiting_payment'`);
  return rows[0] ?? { awaiting: 0, overdue: 0 };
}

/**
 * One read shared by the gauges that report its parts. A scrape collects every metric at once, so the
 * later collects of a scrape find the first one's read still running and share it.
 */
function perScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => (pending ??= read().finally(() => (pending = null)));
}

/** Each outbox's undelivered rows and how long the oldest has waited (one indexed scan each). */
async function readBacklogs(db: Database): Promise<Backlog[]> {
  const { rows } = await db.execute<Backlog>(sql`
    SELECT 'email' AS outbox, count(*)::int AS waiting,
           extract(epoch FROM now() - min(created_at))::float AS oldest_seconds
      FROM email_outbox WHERE sent_at IS NULL
    UNION ALL
    SELECT 'webhook', count(*)::int, extract(epoch FROM now() - min(created_at))::float
      FROM webhook_deliveries WHERE delivered_at IS NULL AND failed_at IS NULL`);
  return rows;
}

/** What the workflow gauge asks Temporal about: this deployment's task queue, closed within the hour. */
export interface WorkflowSource {
  client: Client;
  taskQueue: string;
}

/** Workflows that ended without completing: a failure (an uncaught error) or a timeout. */
const BAD_ENDS = ['Failed', 'TimedOut'] as const;

export function createWorkerMetrics(db: Database, workflows: WorkflowSource): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const persistLag = new Histogram({
    name: 'gavel_persist_lag_seconds',
    help: 'From a bid accepted in Redis to its row in Postgres, per bid',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'gavel_notification_deliveries_total',
    help: 'Attempts to deliver a notification, by channel (email, webhook) and outcome (delivered, skipped, retrying, failed)',
    labelNames: ['channel', 'outcome'] as const,
    registers: [registry],
  });
  const backlogs = perScrape(() => readBacklogs(db));
  const orders = perScrape(() => readOrders(db));
  new Gauge({
    name: 'gavel_outbox_waiting',
    help: 'Notifications not yet delivered, by outbox (email, webhook)',
    labelNames: ['outbox'] as const,
    registers: [registry],
    async collect() {
      for (const row of await backlogs()) this.set({ outbox: row.outbox }, row.waiting);
    },
  });
  new Gauge({
    name: 'gavel_outbox_oldest_seconds',
    help: 'Age of the oldest notification not yet delivered, by outbox (0 when none waits)',
    labelNames: ['outbox'] as const,
    registers: [registry],
    async collect() {
      for (const row of await backlogs()) this.set({ outbox: row.outbox }, row.oldest_seconds ?? 0);
    },
  });
  new Gauge({
    name: 'gavel_orders_overdue',
    help: 'Orders still awaiting payment more than 5 minutes after their deadline: their settlement did not act',
    registers: [registry],
    async collect() {
      this.set((await orders()).overdue);
    },
  });
  new Gauge({
    name: 'gavel_orders_awaiting_payment',
    help: 'Orders awaiting payment',
    registers: [registry],
    async collect() {
      this.set((await orders()).awaiting);
    },
  });
  new Gauge({
    name: 'gavel_sales',
    help: 'Flash sales scheduled or open, by phase',
    labelNames: ['phase'] as const,
    registers: [registry],
    async collect() {
      const { rows } = await db.execute<{ phase: string; n: number }>(sql`
        SELECT phase, count(*)::int AS n FROM sales WHERE phase IN ('scheduled', 'open') GROUP BY phase`);
      for (const phase of ['scheduled', 'open']) this.set({ phase }, rows.find((row) => row.phase === phase)?.n ?? 0);
    },
  });
  new Gauge({
    name: 'gavel_workflows_ended_badly',
    help: "This task queue's workflows that failed or timed out in the last hour, by status (Temporal's visibility)",
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const since = new Date(Date.now() - 3600_000).toISOString();
      const counts = await Promise.all(
        BAD_ENDS.map((status) =>
          workflows.client.workflow.count(
            `TaskQueue = '${workflows.taskQueue}' AND ExecutionStatus = '${status}' AND CloseTime > '${since}'`,
          ),
        ),
      );
      BAD_ENDS.forEach((status, i) => this.set({ status }, counts[i]!.count));
    },
  });
  return {
    registry,
    activities: {
      bidPersisted: (lagSeconds) => persistLag.observe(lagSeconds),
      deliveryAttempted: (channel, outcome) => deliveries.labels(channel, outcome).inc(),
    },
  };
}
