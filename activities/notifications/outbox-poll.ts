/**
 * The body of an outbox dispatch activity: take a batch, again and again, for up to `forMs`; wait
 * `idleMs` when a batch found nothing. It heartbeats after every pass (a killed worker is noticed
 * within the heartbeat timeout and the activity retried elsewhere) and stops early when cancelled or
 * when the worker shuts down.
 */
import { Context } from '@temporalio/activity';

export interface PollOptions {
  forMs: number;
  idleMs: number;
  stopping: AbortSignal;
}

export async function pollOutbox(takeBatch: () => Promise<number>, options: PollOptions): Promise<{ handled: number }> {
  const context = Context.current();
  const started = Date.now();
  let handled = 0;
  while (Date.now() - started < options.forMs && !options.stopping.aborted && !context.cancellationSignal.aborted) {
    const taken = await takeBatch();
    handled += taken;
    context.heartbeat();
    if (taken === 0) await context.sleep(options.idleMs).catch(() => undefined);
  }
  return { handled };
}
