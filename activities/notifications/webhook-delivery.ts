/**
 * Sends the webhook outbox (webhook_deliveries). The outbox dispatch workflow calls deliverDueWebhooks
 * again and again; each call polls for up to a minute, heartbeating, then returns.
 *
 * A small pool: whenever fewer than WEBHOOK_CONCURRENCY attempts are in flight, the free slots claim due
 * deliveries (FOR UPDATE SKIP LOCKED, pushing next_attempt_at a lease ahead, so two workers never send
 * the same attempt at once and a worker that dies mid-send leaves them to be taken again when the lease
 * ends). A slow receiver holds one slot until its timeout, never the queue. Each attempt is recorded in
 * webhook_attempts in the same statement that marks the delivery delivered (2xx), due again after a
 * backoff (domain/notifications/webhook-retry.ts), or given up once the retry period is over. The
 * statement only lands for the attempt the worker claimed, so a worker whose lease ran out cannot
 * overwrite a newer attempt's outcome.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import { sql } from 'drizzle-orm';
import type { Config } from '../../config/env.js';
import type { Database } from '../../db/pool.js';
import { retryDelayMs } from '../../domain/notifications/webhook-retry.js';
import { webhookSignatureHeaders } from '../../domain/notifications/webhook-signature.js';
import type { NotificationData, NotificationType } from '../../domain/notifications/types.js';
import { noActivityMetrics, type ActivityMetrics } from '../metrics.js';
import { createWebhookClient, type PostResult } from './webhook-http.js';

export const WEBHOOK_USER_AGENT = 'Gavel-Webhooks/1.0 (+https://www.standardwebhooks.com/)';

export interface WebhookDeliveryOptions {
  allowPrivateNetworks: boolean;
  /** One attempt's deadline, connecting included. */
  timeoutMs: number;
  /** The waits between attempts; the last repeats. */
  retryScheduleMs: readonly number[];
  /** Given up this long after the delivery was created. */
  retryPeriodMs: number;
  /** Attempts in flight at once. */
  concurrency: number;
  /** How long one call polls before it returns to the workflow. */
  pollForMs?: number;
  /** The wait after a pass that found nothing due. */
  idleMs?: number;
  /** Aborted when the worker shuts down: the call stops claiming and returns once its attempts end. */
  stopping?: AbortSignal;
  /** Told of each attempt and how it ended (the worker's /metrics). */
  metrics?: ActivityMetrics;
  /** For the jitter; tests pass a fixed one. */
  random?: () => number;
}

export const webhookDeliveryOptions = (config: Config, stopping?: AbortSignal): WebhookDeliveryOptions => ({
  allowPrivateNetworks: config.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
  timeoutMs: config.WEBHOOK_TIMEOUT_MS,
  retryScheduleMs: config.WEBHOOK_RETRY_SCHEDULE,
  retryPeriodMs: config.WEBHOOK_RETRY_PERIOD_SECONDS * 1000,
  concurrency: config.WEBHOOK_CONCURRENCY,
  ...(stopping ? { stopping } : {}),
});

interface Claimed {
  id: string;
  attempt: number;
  url: string;
  secret: string;
  /** Why it is not sent after all (the webhook deleted, the account deleted, the type turned off). */
  skip: string | null;
  notification: {
    id: number;
    type: NotificationType;
    auctionId: string | null;
    data: NotificationData;
    createdAt: string;
  };
}

interface ClaimedRow extends Record<string, unknown> {
  id: string;
  attempts: number;
  url: string;
  secret: string;
  webhook_deleted: boolean;
  user_deleted: boolean;
  type_off: boolean;
  notification_id: string;
  type: NotificationType;
  auction_id: string | null;
  data: NotificationData;
  /** ISO-8601 UTC with milliseconds, as Date#toISOString writes it (the inbox's form). */
  notification_created_at: string;
}

/** The activity's context when run by Temporal; null when a test calls it directly. */
function activityContext(): Context | null {
  try {
    return Context.current();
  } catch {
    return null;
  }
}

export function createWebhookDeliveryActivities(db: Database, options: WebhookDeliveryOptions) {
  const metrics = options.metrics ?? noActivityMetrics;
  const pollForMs = options.pollForMs ?? 60_000;
  const idleMs = options.idleMs ?? 1000;
  const random = options.random ?? Math.random;
  // A claim outlives the attempt it covers (the timeout) by a wide margin before another worker may take it.
  const leaseMs = options.timeoutMs + 60_000;
  const periodMs = options.retryPeriodMs;

  async function claim(limit: number): Promise<Claimed[]> {
    const { rows } = await db.execute<ClaimedRow>(sql`
      WITH due AS (
        SELECT id FROM webhook_deliveries
         WHERE next_attempt_at <= now() AND delivered_at IS NULL AND failed_at IS NULL
         ORDER BY next_attempt_at
         LIMIT ${limit}
         FOR UPDATE SKIP LOCKED)
      UPDATE webhook_deliveries d
         SET next_attempt_at = now() + ${leaseMs} * interval '1 millisecond', attempts = d.attempts + 1
        FROM due, webhooks w, notifications n, users u
        LEFT JOIN notification_settings s ON s.user_id = u.id
       WHERE d.id = due.id AND w.id = d.webhook_id AND n.id = d.notification_id AND u.id = w.user_id
      RETURNING d.id, d.attempts, w.url, w.secret,
                w.deleted_at IS NOT NULL AS webhook_deleted,
                u.deleted_at IS NOT NULL AS user_deleted,
                COALESCE(NOT (n.type = ANY (s.webhook_types)), false) AS type_off,
                n.id AS notification_id, n.type, n.auction_id, n.data,
                to_char(n.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS notification_created_at`);
    return rows.map((row) => ({
      id: row.id,
      attempt: row.attempts,
      url: row.url,
      secret: row.secret,
      skip: row.webhook_deleted
        ? 'not sent: the webhook was deleted'
        : row.user_deleted
          ? 'not sent: the account was deleted'
          : row.type_off
            ? `not sent: ${row.type} is turned off for webhooks in the notification settings`
            : null,
      notification: {
        id: Number(row.notification_id),
        type: row.type,
        auctionId: row.auction_id,
        data: row.data,
        createdAt: row.notification_created_at,
      },
    }));
  }

  /** The attempt and the delivery's new state, in one statement; nothing if the claim is no longer ours. */
  async function record(delivery: Claimed, result: PostResult, durationMs: number, giveUp: boolean): Promise<void> {
    const ok = result.status !== null && result.status >= 200 && result.status <= 299;
    const delayMs = retryDelayMs(delivery.attempt, options.retryScheduleMs, random);
    const deadline = sql`d.created_at + ${periodMs} * interval '1 millisecond'`;
    const { rows } = await db.execute<{ delivered: boolean; failed: boolean }>(sql`
      WITH attempt AS (
        INSERT INTO webhook_attempts (delivery_id, attempt, status, response, duration_ms)
        VALUES (${delivery.id}, ${delivery.attempt}, ${result.status}, ${result.response}, ${durationMs})
        ON CONFLICT DO NOTHING)
      UPDATE webhook_deliveries d
         SET delivered_at = CASE WHEN ${ok} THEN now() END,
             failed_at = CASE WHEN NOT ${ok} AND (${giveUp} OR now() >= ${deadline}) THEN now() END,
             next_attempt_at = CASE WHEN ${ok} THEN d.next_attempt_at
                                    ELSE LEAST(now() + ${delayMs} * interval '1 millisecond', ${deadline}) END
       WHERE d.id = ${delivery.id} AND d.attempts = ${delivery.attempt}
         AND d.delivered_at IS NULL AND d.failed_at IS NULL
      RETURNING d.delivered_at IS NOT NULL AS delivered, d.failed_at IS NOT NULL AS failed`);
    const [state] = rows;
    // No row: another claim recorded this attempt already, and counted it.
    if (!state) return;
    const outcome = state.delivered
      ? 'delivered'
      : !state.failed
        ? 'retrying'
        : delivery.skip !== null
          ? 'skipped'
          : 'failed';
    metrics.deliveryAttempted('webhook', outcome);
  }

  async function attempt(client: ReturnType<typeof createWebhookClient>, delivery: Claimed): Promise<void> {
    if (delivery.skip !== null) return record(delivery, { status: null, response: delivery.skip }, 0, true);
    const { notification } = delivery;
    // The same bytes on every attempt: a receiver may compare retries by body as well as by webhook-id.
    const body = JSON.stringify({
      type: notification.type,
      timestamp: notification.createdAt,
      data: notification,
    });
    const headers = {
      'content-type': 'application/json',
      'user-agent': WEBHOOK_USER_AGENT,
      ...webhookSignatureHeaders(delivery.secret, delivery.id, Math.floor(Date.now() / 1000), body),
    };
    const started = performance.now();
    const result = await client.post(delivery.url, headers, body);
    await record(delivery, result, Math.round(performance.now() - started), false);
  }

  return {
    /** Delivers due webhooks for up to a minute (options.pollForMs); returns how many attempts it made. */
    deliverDueWebhooks: async (): Promise<{ handled: number }> => {
      const context = activityContext();
      const signals = [options.stopping, context?.cancellationSignal].filter((s): s is AbortSignal => !!s);
      const stop = signals.length > 0 ? AbortSignal.any(signals) : new AbortController().signal;
      const client = createWebhookClient(options);
      const inFlight = new Set<Promise<void>>();
      let failure: Error | undefined;
      let handled = 0;
      const deadline = Date.now() + pollForMs;
      try {
        while (Date.now() < deadline && !stop.aborted && failure === undefined) {
          const free = options.concurrency - inFlight.size;
          const claimed = free > 0 ? await claim(free) : [];
          for (const delivery of claimed) {
            const running: Promise<void> = attempt(client, delivery)
              .catch((error: unknown) => {
                failure ??= error instanceof Error ? error : new Error('a webhook attempt failed', { cause: error });
              })
              .finally(() => inFlight.delete(running));
            inFlight.add(running);
          }
          handled += claimed.length;
          context?.heartbeat({ handled });
          // Go on at once while there is room and work; else wait for a slot, or a while.
          if (claimed.length > 0 && inFlight.size < options.concurrency) continue;
          const wait = Math.max(0, Math.min(idleMs, deadline - Date.now()));
          await Promise.race([...inFlight, sleep(wait, undefined, { signal: stop }).catch(() => undefined)]);
        }
        await Promise.all(inFlight);
      } finally {
        client.close();
      }
      // A database error while recording: the call fails and Temporal retries it; the claimed rows
      // are taken again when their lease ends.
      if (failure !== undefined) throw failure;
      return { handled };
    },
  };
}
