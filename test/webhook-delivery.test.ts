/**
 * Webhook delivery (activities/notifications/webhook-delivery.ts) on the real Postgres, to real HTTP
 * receivers on 127.0.0.1 started here. Rows are written as the notification pipeline writes them (a
 * notification and its webhook_deliveries row); the activity is called in-process, without Temporal,
 * with short timeouts and retry waits. Covers: retries under one webhook-id with a valid signature on
 * every attempt; a hanging receiver cut by the timeout, and not holding up others; addresses refused at
 * connect time (DNS and literals) with nothing reaching the receiver; giving up after the retry
 * period; no redirects; deleted webhooks and turned-off types not sent; two workers never sending the
 * same attempt.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import {
  createWebhookDeliveryActivities,
  type WebhookDeliveryOptions,
} from '../activities/notifications/webhook-delivery.js';
import type { ActivityMetrics, DeliveryOutcome } from '../activities/metrics.js';
import { RESPONSE_EXCERPT_BYTES } from '../activities/notifications/webhook-http.js';
import { webhooks } from '../db/schema.js';
import { createWebhookSecret, verifyWebhook } from '../domain/notifications/webhook-signature.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { insertAuction, insertUser } from './helpers/fixtures.js';
import { hang, startReceiver, status, type Receiver } from './helpers/webhook-receiver.js';

let database: TestDatabase;
let userId: string;
let auctionId: string;
const receivers: Receiver[] = [];
let keys = 0;

before(async () => {
  database = await createTestDatabase();
  userId = (await insertUser(database.db, 'hooked')).id;
  auctionId = (await insertAuction(database.db, userId, new Date(), new Date(Date.now() + 3600_000))).id;
});
after(async () => {
  await database.drop();
});
afterEach(async () => {
  // Each test's deliveries end with it, so the next test's activity calls see only their own.
  await database.db.execute(
    sql`UPDATE webhook_deliveries SET failed_at = now() WHERE delivered_at IS NULL AND failed_at IS NULL`,
  );
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
  const started = await startReceiver(...args);
  receivers.push(started);
  return started;
}

interface Enqueued {
  deliveryId: string;
  webhookId: string;
  notificationId: number;
  secret: string;
}

/** A webhook, a notification and its delivery, as the pipeline's fan-out writes them. */
async function enqueue(url: string, type = 'outbid'): Promise<Enqueued> {
  const secret = createWebhookSecret();
  const [webhook] = await database.db
    .insert(webhooks)
    .values({ userId, url, types: [type as 'outbid'], secret })
    .returning();
  const data = { title: 'A test lot', currency: 'USD', currentPrice: 1500, minimumNextBid: 1600 };
  const { rows: notification } = await database.db.execute<{ id: string }>(sql`
    INSERT INTO notifications (user_id, type, auction_id, data, dedupe_key)
    VALUES (${userId}, ${type}, ${auctionId}, ${JSON.stringify(data)}::jsonb, ${`test:${++keys}:${Date.now()}`})
    RETURNING id`);
  const { rows: delivery } = await database.db.execute<{ id: string }>(sql`
    INSERT INTO webhook_deliveries (webhook_id, notification_id) VALUES (${webhook!.id}, ${notification[0]!.id}) RETURNING id`);
  return { deliveryId: delivery[0]!.id, webhookId: webhook!.id, notificationId: Number(notification[0]!.id), secret };
}

const OPTIONS: WebhookDeliveryOptions = {
  allowPrivateNetworks: true,
  timeoutMs: 2000,
  retryScheduleMs: [100],
  retryPeriodMs: 60_000,
  concurrency: 4,
  pollForMs: 400,
  idleMs: 20,
  random: () => 0.5,
};

/** The outcomes the activity reports for /metrics, in order. */
function countedOutcomes(): { seen: DeliveryOutcome[]; metrics: ActivityMetrics } {
  const seen: DeliveryOutcome[] = [];
  return {
    seen,
    metrics: {
      bidPersisted: () => assert.fail('no bid is persisted here'),
      deliveryAttempted: (channel, outcome) => {
        assert.equal(channel, 'webhook');
        seen.push(outcome);
      },
    },
  };
}

/** Calls the activity (each call polls `pollForMs`) until `done` holds, or fails after `withinMs`. */
async function deliverUntil(
  done: () => Promise<boolean>,
  options: Partial<WebhookDeliveryOptions> = {},
  withinMs = 15_000,
): Promise<void> {
  const { deliverDueWebhooks } = createWebhookDeliveryActivities(database.db, { ...OPTIONS, ...options });
  const started = Date.now();
  while (!(await done())) {
    if (Date.now() - started > withinMs) throw new Error(`not done within ${withinMs} ms`);
    await deliverDueWebhooks();
  }
}

interface DeliveryRow {
  attempts: number;
  delivered_at: Date | null;
  failed_at: Date | null;
  created_at: Date;
}
interface AttemptRow {
  attempt: number;
  status: number | null;
  response: string;
  duration_ms: number;
  attempted_at: Date;
}

const date = (value: unknown) => (value === null ? null : new Date(value as string));

/** Read through the pool (raw SQL through drizzle leaves timestamps as text). */
async function deliveryOf(id: string): Promise<DeliveryRow> {
  const { rows } = await database.pool.query('SELECT * FROM webhook_deliveries WHERE id = $1', [id]);
  const row = rows[0] as Record<string, unknown>;
  return {
    attempts: row.attempts as number,
    delivered_at: date(row.delivered_at),
    failed_at: date(row.failed_at),
    created_at: date(row.created_at)!,
  };
}

async function attemptsOf(id: string): Promise<AttemptRow[]> {
  const { rows } = await database.pool.query(
    'SELECT attempt, status, response, duration_ms, attempted_at FROM webhook_attempts WHERE delivery_id = $1 ORDER BY attempt',
    [id],
  );
  return (rows as Record<string, unknown>[]).map((row) => ({
    attempt: row.attempt as number,
    status: row.status as number | null,
    response: row.response as string,
    duration_ms: row.duration_ms as number,
    attempted_at: date(row.attempted_at)!,
  }));
}

const delivered = (id: string) => async () => (await deliveryOf(id)).delivered_at !== null;
const attempted = (id: string, n: number) => async () => (await attemptsOf(id)).length >= n;

describe('retries', () => {
  test('when a receiver answers 500 three times then 200, then one webhook-id carries all 4 signed attempts and the delivery is delivered', async () => {
    const big = 'x'.repeat(5000);
    const hook = await receiver([status(500, big), status(500, big), status(500, big), status(200, 'ok')]);
    const { deliveryId, secret, notificationId } = await enqueue(hook.url);
    const outcomes = countedOutcomes();

    await deliverUntil(delivered(deliveryId), { metrics: outcomes.metrics });
    assert.deepEqual(outcomes.seen, ['retrying', 'retrying', 'retrying', 'delivered'], 'each attempt counted once');

    assert.equal(hook.received.length, 4);
    for (const request of hook.received) {
      assert.equal(request.headers['webhook-id'], deliveryId);
      assert.equal(
        verifyWebhook(secret, request.body, request.headers),
        true,
        'the signature verifies on the raw body',
      );
      assert.equal(request.headers['content-type'], 'application/json');
      assert.match(String(request.headers['user-agent']), /^Gavel-Webhooks\//);
      assert.match(String(request.headers['webhook-timestamp']), /^\d{10}$/);
      assert.equal(request.path, '/hook');
    }
    // The same bytes every time: only the attempt's timestamp and signature differ.
    assert.equal(new Set(hook.received.map((request) => request.body.toString())).size, 1);
    const payload = JSON.parse(hook.received[0]!.body.toString()) as {
      type: string;
      timestamp: string;
      data: Record<string, unknown>;
    };
    assert.deepEqual(Object.keys(payload).sort(), ['data', 'timestamp', 'type']);
    assert.equal(payload.type, 'outbid');
    assert.equal(payload.timestamp, payload.data.createdAt);
    assert.equal(new Date(payload.timestamp).toISOString(), payload.timestamp, 'ISO-8601 UTC');
    assert.deepEqual(
      { ...payload.data, createdAt: undefined },
      {
        id: notificationId,
        type: 'outbid',
        auctionId,
        data: { title: 'A test lot', currency: 'USD', currentPrice: 1500, minimumNextBid: 1600 },
        createdAt: undefined,
      },
    );

    const attempts = await attemptsOf(deliveryId);
    assert.deepEqual(
      attempts.map((a) => [a.attempt, a.status]),
      [
        [1, 500],
        [2, 500],
        [3, 500],
        [4, 200],
      ],
    );
    assert.equal(attempts[0]!.response, big.slice(0, RESPONSE_EXCERPT_BYTES), 'the first 1 KB of the answer');
    assert.equal(attempts[3]!.response, 'ok');
    for (const a of attempts) assert.ok(a.duration_ms >= 0 && a.duration_ms < 2000, String(a.duration_ms));
    // Each retry waited its step (100 ms, no jitter here).
    for (let i = 1; i < hook.received.length; i++) {
      assert.ok(hook.received[i]!.at - hook.received[i - 1]!.at >= 90, 'retried after the backoff, not at once');
    }
    const row = await deliveryOf(deliveryId);
    assert.equal(row.attempts, 4);
    assert.ok(row.delivered_at);
    assert.equal(row.failed_at, null);
  });

  test('when a receiver hangs, then the attempt is cut at the timeout and a later attempt succeeds', async () => {
    const hook = await receiver([hang, status(204)]);
    const { deliveryId } = await enqueue(hook.url);

    await deliverUntil(delivered(deliveryId), { timeoutMs: 300 });

    const attempts = await attemptsOf(deliveryId);
    assert.equal(attempts.length, 2);
    assert.equal(attempts[0]!.status, null);
    assert.match(attempts[0]!.response, /TIMEOUT: no answer within 300 ms/);
    assert.ok(attempts[0]!.duration_ms >= 290 && attempts[0]!.duration_ms < 1500, String(attempts[0]!.duration_ms));
    assert.equal(attempts[1]!.status, 204);
    assert.equal(hook.received.length, 2);
    assert.equal(hook.received[0]!.headers['webhook-id'], hook.received[1]!.headers['webhook-id']);
  });

  test('when one receiver hangs, then deliveries to others go out meanwhile', async () => {
    const slow = await receiver([hang]);
    const fast = await receiver([status(200)]);
    const stuck = await enqueue(slow.url);
    const quick = await Promise.all([1, 2, 3].map(() => enqueue(fast.url)));
    const { deliverDueWebhooks } = createWebhookDeliveryActivities(database.db, {
      ...OPTIONS,
      timeoutMs: 3000,
      concurrency: 2,
      pollForMs: 1500,
    });
    const started = Date.now();
    await deliverDueWebhooks();
    for (const { deliveryId } of quick) {
      const row = await deliveryOf(deliveryId);
      assert.ok(row.delivered_at, 'delivered while the other attempt hangs');
      assert.ok(row.delivered_at.getTime() - started < 1500);
    }
    // The hanging attempt ran to its own timeout after the poll ended: the call waits for its attempts.
    assert.equal((await attemptsOf(stuck.deliveryId))[0]?.status, null);
  });

  test('when the retry period has passed, then the delivery is given up and not tried again', async () => {
    const hook = await receiver([status(503, 'down')]);
    const { deliveryId } = await enqueue(hook.url);
    const outcomes = countedOutcomes();

    await deliverUntil(async () => (await deliveryOf(deliveryId)).failed_at !== null, {
      retryPeriodMs: 500,
      metrics: outcomes.metrics,
    });
    assert.equal(outcomes.seen.at(-1), 'failed');
    assert.ok(outcomes.seen.slice(0, -1).every((outcome) => outcome === 'retrying'));

    const row = await deliveryOf(deliveryId);
    assert.equal(row.delivered_at, null);
    assert.ok(row.failed_at!.getTime() - row.created_at.getTime() >= 500, 'given up only once the period is over');
    const attempts = await attemptsOf(deliveryId);
    assert.ok(attempts.length >= 3, `tried until then (${attempts.length} attempts)`);
    assert.ok(attempts.every((a) => a.status === 503));
    // The last attempt was made at the deadline, not skipped.
    assert.ok(attempts.at(-1)!.attempted_at.getTime() - row.created_at.getTime() >= 500);
    const sent = hook.received.length;
    await createWebhookDeliveryActivities(database.db, { ...OPTIONS, pollForMs: 300 }).deliverDueWebhooks();
    assert.equal(hook.received.length, sent, 'nothing more is sent');
  });

  test('when a receiver redirects, then the redirect is not followed and the attempt failed', async () => {
    const hook = await receiver((_, request) =>
      request.path === '/hook' ? status(302, '', { location: '/elsewhere' }) : status(200),
    );
    const { deliveryId } = await enqueue(hook.url);

    await deliverUntil(attempted(deliveryId, 2));

    assert.ok(hook.received.length >= 2);
    assert.ok(
      hook.received.every((request) => request.path === '/hook'),
      'never at /elsewhere',
    );
    const attempts = await attemptsOf(deliveryId);
    assert.ok(attempts.every((a) => a.status === 302));
    assert.equal((await deliveryOf(deliveryId)).delivered_at, null);
  });
});

describe('addresses refused at connect time', () => {
  test('when a host name resolves to 127.0.0.1 and private networks are not allowed, then no request reaches it and the attempt says why', async () => {
    const hook = await receiver([status(200)]);
    const { deliveryId } = await enqueue(`http://localhost:${hook.port}/hook`);

    await deliverUntil(attempted(deliveryId, 2), { allowPrivateNetworks: false });

    assert.equal(hook.received.length, 0);
    const attempts = await attemptsOf(deliveryId);
    for (const a of attempts) {
      assert.equal(a.status, null);
      assert.match(a.response, /address not allowed: localhost resolves to 127\.0\.0\.1 \(loopback\)/);
    }
    const row = await deliveryOf(deliveryId);
    assert.equal(row.delivered_at, null);
    assert.equal(row.failed_at, null, 'retried later like any failure (DNS may change back)');
  });

  test('when a URL names a refused address literally, then it is refused before connecting', async () => {
    const hook = await receiver([status(200)]);
    const cases = [
      [`http://127.0.0.1:${hook.port}/hook`, /127\.0\.0\.1 is loopback/],
      [`http://[::ffff:127.0.0.1]:${hook.port}/hook`, /::ffff:7f00:1 is loopback/],
      [`http://[::1]:${hook.port}/hook`, /::1 is loopback/],
      ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is linkLocal/],
    ] as const;
    const queued = await Promise.all(cases.map(([url]) => enqueue(url)));

    await deliverUntil(
      async () => (await Promise.all(queued.map((q) => attemptsOf(q.deliveryId)))).every((a) => a.length > 0),
      {
        allowPrivateNetworks: false,
      },
    );

    assert.equal(hook.received.length, 0);
    for (const [i, [, expected]] of cases.entries()) {
      const [first] = await attemptsOf(queued[i]!.deliveryId);
      assert.equal(first!.status, null);
      assert.match(first!.response, expected);
    }
  });
});

describe('what is not sent', () => {
  test('when the webhook was deleted, or the type turned off in the settings, then nothing is sent and the delivery is closed', async () => {
    const hook = await receiver([status(200)]);
    const deleted = await enqueue(hook.url);
    await database.db.execute(sql`UPDATE webhooks SET deleted_at = now() WHERE id = ${deleted.webhookId}`);
    const turnedOff = await enqueue(hook.url, 'auction_won');
    await database.db.execute(sql`
      INSERT INTO notification_settings (user_id, webhook_types) VALUES (${userId}, ARRAY['outbid'])
      ON CONFLICT (user_id) DO UPDATE SET webhook_types = excluded.webhook_types`);
    try {
      await deliverUntil(async () => (await deliveryOf(turnedOff.deliveryId)).failed_at !== null);
      assert.ok((await deliveryOf(deleted.deliveryId)).failed_at);
      assert.equal(hook.received.length, 0);
      assert.match((await attemptsOf(deleted.deliveryId))[0]!.response, /not sent: the webhook was deleted/);
      assert.match((await attemptsOf(turnedOff.deliveryId))[0]!.response, /not sent: auction_won is turned off/);
    } finally {
      await database.db.execute(sql`DELETE FROM notification_settings WHERE user_id = ${userId}`);
    }
  });
});

describe('two workers', () => {
  test('when two workers poll the same due deliveries, then each attempt is sent exactly once', async () => {
    const hook = await receiver(() => (res) => setTimeout(() => res.writeHead(200).end(), 30));
    const queued = await Promise.all(Array.from({ length: 20 }, () => enqueue(hook.url)));
    const options = { ...OPTIONS, pollForMs: 1500 };

    await Promise.all([
      createWebhookDeliveryActivities(database.db, options).deliverDueWebhooks(),
      createWebhookDeliveryActivities(database.db, options).deliverDueWebhooks(),
    ]);

    assert.equal(hook.received.length, 20);
    const ids = hook.received.map((request) => request.headers['webhook-id']);
    assert.equal(new Set(ids).size, 20);
    assert.deepEqual(new Set(ids), new Set(queued.map((q) => q.deliveryId)));
    for (const { deliveryId } of queued) {
      assert.deepEqual(
        (await attemptsOf(deliveryId)).map((a) => [a.attempt, a.status]),
        [[1, 200]],
      );
    }
  });
});

describe('stopping', () => {
  test('when the worker is stopping, then a call returns without waiting out its poll', async () => {
    const stopping = new AbortController();
    const { deliverDueWebhooks } = createWebhookDeliveryActivities(database.db, {
      ...OPTIONS,
      pollForMs: 10_000,
      idleMs: 5000,
      stopping: stopping.signal,
    });
    const started = Date.now();
    setTimeout(() => stopping.abort(), 200);
    await deliverDueWebhooks();
    assert.ok(Date.now() - started < 2000, `returned after ${Date.now() - started} ms`);
  });
});
