/**
 * What activities report to the worker's /metrics. An interface rather than prom-client itself, so the
 * activities stay free of any one metrics library and tests can pass none; the worker's implementation is
 * in worker/metrics.ts.
 */

/** How one attempt to deliver a notification ended. */
export type DeliveryOutcome = 'delivered' | 'skipped' | 'retrying' | 'failed';

export interface ActivityMetrics {
  /** A bid copied into Postgres, this long after Redis accepted it (the persist lag). */
  bidPersisted(lagSeconds: number): void;
  /** One attempt to deliver a notification by mail or webhook, and how it ended. */
  deliveryAttempted(channel: 'email' | 'webhook', outcome: DeliveryOutcome): void;
}

export const noActivityMetrics: ActivityMetrics = {
  bidPersisted: () => undefined,
  deliveryAttempted: () => undefined,
};
