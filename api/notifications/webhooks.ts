/**
 * A user's webhooks: register (the secret shown once), list, delete, and see each delivery with its
 * attempts. Delivery itself is the worker's (activities/notifications/webhook-delivery.ts).
 *
 * A URL whose host resolves now to an address webhooks may not reach is refused here, so a mistake or a
 * probe is told at once; the check that counts is made again on every connection (DNS can change).
 */
import { lookup } from 'node:dns/promises';
import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/pool.js';
import { lockUserForCount } from '../../db/user-lock.js';
import { notifications, webhookAttempts, webhookDeliveries, webhooks } from '../../db/schema.js';
import { ipLiteralOf, refusedRange } from '../../domain/notifications/network-policy.js';
import { createWebhookSecret } from '../../domain/notifications/webhook-signature.js';
import { isAuctionId } from '../auctions/ids.js';
import { fromOpaque, toOpaque } from '../auctions/cursor.js';
import { AppError, notFound } from '../errors.js';
import type { CreateWebhookBody } from './webhooks-schemas.js';
import type { CreatedWebhookJson, WebhookDeliveryPageJson, WebhookJson } from './webhooks-responses.js';

export interface WebhookDeps {
  db: Database;
  allowPrivateNetworks: boolean;
  maxPerUser: number;
  /** The host's addresses; dns.lookup unless a test says otherwise. */
  resolve?: (host: string) => Promise<{ address: string }[]>;
}

/** How long registration waits for DNS before calling the host unresolvable. */
const RESOLVE_TIMEOUT_MS = 5000;

const notAllowed = (message: string, reason: 'address_not_allowed' | 'unresolvable') =>
  new AppError(400, 'WEBHOOK_URL_NOT_ALLOWED', message, { reason });

async function checkResolvesToPublic(deps: WebhookDeps, url: string): Promise<void> {
  if (deps.allowPrivateNetworks) return;
  const host = new URL(url).hostname;
  if (ipLiteralOf(host) !== null) return; // judged by the body schema already
  const resolve = deps.resolve ?? ((name: string) => lookup(name, { all: true }));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), RESOLVE_TIMEOUT_MS);
  });
  let addresses: { address: string }[];
  try {
    addresses = await Promise.race([resolve(host), timeout]);
  } catch {
    throw notAllowed(`${host} does not resolve: webhooks need a host with a public address`, 'unresolvable');
  } finally {
    clearTimeout(timer);
  }
  if (addresses.length === 0) throw notAllowed(`${host} has no address`, 'unresolvable');
  for (const { address } of addresses) {
    const range = refusedRange(address);
    if (range !== null) {
      throw notAllowed(
        `${host} resolves to ${address} (${range}): webhooks may only reach public addresses`,
        'address_not_allowed',
      );
    }
  }
}

const present = (row: typeof webhooks.$inferSelect): WebhookJson => ({
  id: row.id,
  url: row.url,
  types: row.types,
  createdAt: row.createdAt.toISOString(),
});

export async function createWebhook(
  deps: WebhookDeps,
  userId: string,
  body: CreateWebhookBody,
): Promise<CreatedWebhookJson> {
  await checkResolvesToPublic(deps, body.url);
  const secret = createWebhookSecret();
  return deps.db.transaction(async (tx) => {
    await lockUserForCount(tx, userId);
    const [row] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(webhooks)
      .where(and(eq(webhooks.userId, userId), isNull(webhooks.deletedAt)));
    if (row!.n >= deps.maxPerUser) {
      throw new AppError(409, 'TOO_MANY_WEBHOOKS', `At most ${deps.maxPerUser} webhooks: delete one first`, {
        maxWebhooks: deps.maxPerUser,
      });
    }
    const [created] = await tx
      .insert(webhooks)
      .values({ userId, url: body.url, types: body.types, secret })
      .returning();
    return { ...present(created!), secret };
  });
}

export async function listWebhooks(deps: Pick<WebhookDeps, 'db'>, userId: string): Promise<{ items: WebhookJson[] }> {
  const rows = await deps.db
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.userId, userId), isNull(webhooks.deletedAt)))
    .orderBy(asc(webhooks.createdAt), asc(webhooks.id));
  return { items: rows.map(present) };
}

/**
 * Soft: the row stays (its deliveries point at it) but receives nothing more; what was still pending
 * is given up in the same statement, and the sender skips anything it had already taken.
 */
export async function deleteWebhook(deps: Pick<WebhookDeps, 'db'>, userId: string, webhookId: string): Promise<void> {
  if (!isAuctionId(webhookId)) throw notFound('webhook'); // the same UUID shape
  const { rows } = await deps.db.execute<{ id: string }>(sql`
    WITH gone AS (
      UPDATE webhooks SET deleted_at = now()
       WHERE id = ${webhookId} AND user_id = ${userId} AND deleted_at IS NULL
      RETURNING id),
    stopped AS (
      UPDATE webhook_deliveries SET failed_at = now()
       WHERE webhook_id IN (SELECT id FROM gone) AND delivered_at IS NULL AND failed_at IS NULL)
    SELECT id FROM gone`);
  if (rows.length === 0) throw notFound('webhook');
}

/** Where the next page starts: the last delivery's creation time (µs, as Postgres keeps it) and id. */
const cursorWire = z.object({ c: z.string().regex(/^\d{1,18}$/), i: z.uuid() }).strict();

function decodeCursor(cursor: string): { createdAtMicros: string; id: string } {
  const parsed = cursorWire.safeParse(fromOpaque(cursor));
  if (!parsed.success) throw new AppError(400, 'INVALID_CURSOR', 'The cursor is not one this API issued');
  return { createdAtMicros: parsed.data.c, id: parsed.data.i };
}

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

/** A webhook's deliveries, newest first, each with its attempts in order. */
export async function listDeliveries(
  deps: Pick<WebhookDeps, 'db'>,
  userId: string,
  webhookId: string,
  query: { limit: number; cursor?: string | undefined },
): Promise<WebhookDeliveryPageJson> {
  if (!isAuctionId(webhookId)) throw notFound('webhook');
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const [owned] = await deps.db
    .select({ id: webhooks.id })
    .from(webhooks)
    .where(and(eq(webhooks.id, webhookId), eq(webhooks.userId, userId), isNull(webhooks.deletedAt)));
  if (!owned) throw notFound('webhook');

  const createdMicros = sql<string>`(extract(epoch from ${webhookDeliveries.createdAt}) * 1000000)::bigint`;
  const position =
    after &&
    or(
      lt(createdMicros, after.createdAtMicros),
      and(eq(createdMicros, after.createdAtMicros), lt(webhookDeliveries.id, after.id)),
    );
  const rows = await deps.db
    .select({
      id: webhookDeliveries.id,
      notificationId: webhookDeliveries.notificationId,
      type: notifications.type,
      createdAt: webhookDeliveries.createdAt,
      deliveredAt: webhookDeliveries.deliveredAt,
      failedAt: webhookDeliveries.failedAt,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      createdMicros,
    })
    .from(webhookDeliveries)
    .innerJoin(notifications, eq(notifications.id, webhookDeliveries.notificationId))
    .where(and(eq(webhookDeliveries.webhookId, webhookId), position))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const attempts =
    page.length === 0
      ? []
      : await deps.db
          .select()
          .from(webhookAttempts)
          .where(
            inArray(
              webhookAttempts.deliveryId,
              page.map((row) => row.id),
            ),
          )
          .orderBy(asc(webhookAttempts.deliveryId), asc(webhookAttempts.attempt));
  const attemptsOf = new Map<string, (typeof attempts)[number][]>();
  for (const attempt of attempts)
    attemptsOf.set(attempt.deliveryId, [...(attemptsOf.get(attempt.deliveryId) ?? []), attempt]);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => {
      const status = row.deliveredAt ? 'delivered' : row.failedAt ? 'failed' : 'pending';
      return {
        id: row.id,
        notificationId: row.notificationId,
        type: row.type,
        status,
        createdAt: row.createdAt.toISOString(),
        deliveredAt: iso(row.deliveredAt),
        failedAt: iso(row.failedAt),
        nextAttemptAt: status === 'pending' ? row.nextAttemptAt.toISOString() : null,
        attempts: (attemptsOf.get(row.id) ?? []).map((attempt) => ({
          attempt: attempt.attempt,
          attemptedAt: attempt.attemptedAt.toISOString(),
          status: attempt.status,
          response: attempt.response,
          durationMs: attempt.durationMs,
        })),
      };
    }),
    nextCursor: rows.length > query.limit && last ? toOpaque({ c: String(last.createdMicros), i: last.id }) : null,
  };
}
