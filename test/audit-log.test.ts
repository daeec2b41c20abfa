/**
 * The audit log in Postgres: append-only (the trigger refuses UPDATE, DELETE and TRUNCATE, whoever
 * sends them, raw SQL included), an entry with each unpaid strike the settlement records (once, however
 * often its activity runs), and withAuditEntry's promise: an entry exactly when its change happened.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { NotificationPipeline } from '../activities/notifications/pipeline.js';
import { createSettlementActivities } from '../activities/settlement/index.js';
import { createRedis, type RedisClient } from '../config/redis.js';
import { auditLog } from '../db/audit-log-schema.js';
import { appendAuditEntry, withAuditEntry } from '../db/audit-log.js';
import { auctions } from '../db/schema.js';
import type { AuditEntryDraft } from '../domain/moderation/audit-actions.js';
import { testConfig } from './helpers/config.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { insertAuction, insertUser } from './helpers/fixtures.js';

let database: TestDatabase;
let redis: RedisClient;
let activities: ReturnType<typeof createSettlementActivities>;
before(async () => {
  database = await createTestDatabase();
  redis = createRedis(testConfig(), 'worker');
  activities = createSettlementActivities({
    db: database.db,
    redis,
    pipeline: new NotificationPipeline(database.db, redis),
    options: {
      sellerFeeBps: 1000,
      offerWindowSeconds: 3600,
      sellerDecisionSeconds: 3600,
      strikes: { toBlock: 2, windowDays: 90 },
    },
  });
});
after(async () => {
  redis.disconnect();
  await database.drop();
});

const entriesAbout = (targetId: string) => database.db.select().from(auditLog).where(eq(auditLog.targetId, targetId));

async function anEntry(): Promise<{ id: number; targetId: string }> {
  const admin = await insertUser(database.db, 'admin');
  const target = await insertUser(database.db, 'target');
  return appendAuditEntry(database.db, {
    actorId: admin.id,
    action: 'user_blocked',
    targetType: 'user',
    targetId: target.id,
    reason: 'spam',
    details: { note: 'as written' },
    requestId: 'req-1',
  });
}

describe('append-only', () => {
  test('when an entry is written, then it reads back as written, with its time and an increasing id', async () => {
    const first = await anEntry();
    const second = await anEntry();
    assert.ok(second.id > first.id);
    const [row] = await entriesAbout(first.targetId);
    assert.deepEqual(
      [row?.action, row?.reason, row?.details, row?.requestId],
      ['user_blocked', 'spam', { note: 'as written' }, 'req-1'],
    );
    assert.ok(row && Math.abs(row.at.getTime() - Date.now()) < 60_000);
  });

  for (const [what, sql] of [
    ['UPDATE of one entry', (id: number) => `UPDATE audit_log SET reason = 'rewritten' WHERE id = ${id}`],
    ['UPDATE of every entry', () => `UPDATE audit_log SET details = '{}'::jsonb`],
    ['DELETE of one entry', (id: number) => `DELETE FROM audit_log WHERE id = ${id}`],
    ['DELETE matching no entry', () => 'DELETE FROM audit_log WHERE id < 0'],
    ['TRUNCATE', () => 'TRUNCATE audit_log'],
    ['TRUNCATE … CASCADE', () => 'TRUNCATE audit_log CASCADE'],
  ] as const) {
    test(`when raw SQL tries ${what}, then the database refuses it and the entry stays as written`, async () => {
      const entry = await anEntry();
      const before = await database.pool.query('SELECT * FROM audit_log ORDER BY id');
      await assert.rejects(database.pool.query(sql(entry.id)), (error: Error & { code?: string }) => {
        assert.match(error.message, /audit_log is append-only/);
        assert.equal(error.code, '23001'); // restrict_violation
        return true;
      });
      const afterwards = await database.pool.query('SELECT * FROM audit_log ORDER BY id');
      assert.deepEqual(afterwards.rows, before.rows);
    });
  }

  test('when a transaction that wrote an entry rolls back, then the entry is gone with it (nothing half-written)', async () => {
    const target = await insertUser(database.db, 'rolled-back');
    await assert.rejects(
      database.db.transaction(async (tx) => {
        await appendAuditEntry(tx, { ...draft(target.id), reason: 'never committed' });
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    assert.deepEqual(await entriesAbout(target.id), []);
  });
});

const draft = (targetId: string): AuditEntryDraft => ({
  actorId: null,
  action: 'auction_cancelled',
  targetType: 'auction',
  targetId,
  reason: 'test',
  details: {},
  requestId: null,
});

describe('withAuditEntry: an entry exactly when the change happened', () => {
  test('when the change says it changed something, then its entry is kept, and its answer returned', async () => {
    const target = (await insertUser(database.db, 'changed')).id;
    assert.equal(
      await withAuditEntry(database.db, draft(target), () => Promise.resolve({ changed: true, result: 'done' })),
      'done',
    );
    assert.equal((await entriesAbout(target)).length, 1);
  });

  test('when the change changed nothing (a repeat), then no entry, and its answer still returned', async () => {
    const target = (await insertUser(database.db, 'unchanged')).id;
    const answer = await withAuditEntry(database.db, draft(target), () =>
      Promise.resolve({
        changed: false,
        result: { as: 'is' },
      }),
    );
    assert.deepEqual(answer, { as: 'is' });
    assert.deepEqual(await entriesAbout(target), []);
  });

  test('when the change fails, then no entry, and the failure reaches the caller', async () => {
    const target = (await insertUser(database.db, 'failed')).id;
    await assert.rejects(
      withAuditEntry(database.db, draft(target), () => Promise.reject(new Error('Redis said no'))),
      /Redis said no/,
    );
    assert.deepEqual(await entriesAbout(target), []);
  });
});

describe('unpaid strikes', () => {
  /** A sold auction's order, as the settlement opens it. */
  async function openOrder() {
    const db = database.db;
    const [seller, buyer] = await Promise.all([insertUser(db, 'seller'), insertUser(db, 'buyer')]);
    const auction = await insertAuction(db, seller.id, new Date(Date.now() - 60_000), new Date(Date.now() - 1000));
    await db
      .update(auctions)
      .set({ status: 'closed', outcome: 'sold', winnerId: buyer.id, finalPrice: 3100, paymentWindowSeconds: 3600 })
      .where(eq(auctions.id, auction.id));
    const opened = await activities.openAuctionOrder({ auctionId: auction.id, buyerId: buyer.id, hammerPrice: 3100 });
    return { auctionId: auction.id, buyerId: buyer.id, orderId: opened.order.id };
  }

  test('when an order expires unpaid, then the strike is logged once (by the system), however often the activity runs', async () => {
    const { auctionId, buyerId, orderId } = await openOrder();
    assert.equal(await activities.expireOrder({ orderId }), 'expired');
    assert.equal(await activities.expireOrder({ orderId }), 'expired');
    await Promise.all([activities.expireOrder({ orderId }), activities.expireOrder({ orderId })]);
    const entries = await entriesAbout(buyerId);
    assert.deepEqual(
      entries.map((e) => [e.action, e.actorId, e.targetType, e.details, e.requestId]),
      [['unpaid_strike', null, 'user', { orderId, auctionId, kind: 'auction' }, null]],
    );
  });

  test('when the order was paid before its expiry ran, then no strike and no entry', async () => {
    const { buyerId, orderId } = await openOrder();
    assert.equal(await activities.markOrderPaidByHand({ orderId, reason: 'paid by wire' }), 'paid');
    assert.equal(await activities.expireOrder({ orderId }), 'paid');
    assert.deepEqual(await entriesAbout(buyerId), []);
  });
});
