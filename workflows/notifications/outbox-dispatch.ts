/**
 * Drains one outbox (email or webhooks) for as long as the system runs: one instance per outbox,
 * started by every worker (the second start finds the first). Its activity takes due rows from
 * Postgres, delivers them and records each outcome; it polls for a while before returning, so an idle
 * outbox costs a few history events a minute, not one per delivery. A delivery that fails is retried
 * at its own time (the row's next_attempt_at); an activity that fails as a whole (Postgres down, the
 * worker killed) is retried by Temporal. Nothing is lost while either is down: the rows wait.
 */
import { allHandlersFinished, condition, continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import type { Outbox } from '../../domain/temporal-names.js';

const { sendDueEmails, deliverDueWebhooks } = proxyActivities<Activities>({
  // Each call polls for up to a minute (activities/notifications/outbox-poll.ts), heartbeating as it goes.
  startToCloseTimeout: '3 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export async function outboxDispatchWorkflow(outbox: Outbox): Promise<void> {
  const drain = { email: sendDueEmails, webhook: deliverDueWebhooks }[outbox];
  while (!workflowInfo().continueAsNewSuggested) await drain();
  await condition(allHandlersFinished);
  await continueAsNew<typeof outboxDispatchWorkflow>(outbox);
}
