/** How each service is stopped: the signal it shuts down cleanly on, and how long it may take. */
import { stopChild, type Child } from './child.js';

const STOP: Record<string, [NodeJS.Signals, number]> = {
  api: ['SIGTERM', 15_000],
  worker: ['SIGTERM', 20_000],
  temporal: ['SIGTERM', 15_000],
  redis: ['SIGTERM', 15_000], // saves and fsyncs the AOF before it exits
  postgres: ['SIGINT', 30_000], // "fast" shutdown: aborts sessions, checkpoints, exits
  s3: ['SIGTERM', 10_000], // MinIO finishes the requests under way, then exits
  mailpit: ['SIGTERM', 10_000], // closes its database, then exits
  'stripe-mock': ['SIGTERM', 5_000], // keeps nothing: Go's default handler exits at once
};

export function stopService(child: Child): Promise<void> {
  const [signal, graceMs] = STOP[child.name] ?? ['SIGTERM', 10_000];
  return stopChild(child, signal, graceMs);
}
