/**
 * The promoter on the real stack (Postgres, Redis, a Temporal server, a worker, the API over HTTP):
 * admins' promotions and their schedules, bad input, a firing's doubling (reproducible from its seed),
 * its notification, audit entry and SSE event, the budget, the subsidy on the winner's order, and a
 * repeated firing that doubles nothing twice.
 * Invariants: one firing is at most one doubling, however often it runs; the buyer pays at most what
 * their own maximum would have cost; the seller is paid on the hammer price; the budget is never passed.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { createPromotionActivities, seedOf } from '../activities/promotions/fire.js';
import type { PromotionDetailJson, PromotionJson } from '../api/promotions/responses.js';
import { auctions, auditLog, notifications, orders, promotionFirings, promotions } from '../db/schema.js';
import { increment } from '../domain/increments.js';
import { chooseDoubling, type CandidateAuction } from '../domain/promotions/strategies.js';
import { orderAmounts } from '../domain/settlement/amounts.js';
import { promotionScheduleId } from '../domain/temporal-names.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson, type ErrorJson } from './helpers/http.js';
import { until } from './helpers/settlement.js';
import { watchEvents } from './helpers/sse.js';
import { startTestWorker, type TestWorker } from './helpers/temporal.js';

type User = { id: string; token: string; email: string };

const BOSS_EMAIL = `promoter-${randomUUID()}@example.test`;
const PREMIUM_BPS = 1000;

let database: TestDatabase;
let worker: TestWorker;
let api: TestApi;
let boss: User;
let seller: User;
let alice: User;
let bob: User;

before(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database.db);
  api = await startTestApi({
    DATABASE_URL: database.url,
    TEMPORAL_TASK_QUEUE: worker.taskQueue,
    ADMIN_EMAILS: BOSS_EMAIL,
  });
  [boss, seller, alice, bob] = await Promise.all([
    signUpAs(BOSS_EMAIL),
    signUp(api.url, 'seller'),
    signUp(api.url, 'alice'),
    signUp(api.url, 'bob'),
  ]);
});
after(async () => {
  await api.close();
  await worker.stop();
  await database.drop();
});

async function signUpAs(email: string): Promise<User> {
  const password = 'correct horse battery staple';
  const created = await call<{ id: string }>(`${api.url}/v1/users`, { body: { email, password, displayName: 'boss' } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const token = await call<{ accessToken: string }>(`${api.url}/v1/auth/token`, { body: { email, password } });
  return { id: created.body.id, token: token.body.accessToken, email };
}

const promotionsApi = <T>(path: string, init: { method?: string; body?: unknown; token?: string } = {}) =>
  call<T & ErrorJson>(`${api.url}/v1/admin/promotions${path}`, { token: boss.token, ...init });

/** An auction with Alice's maximum below Bob's: Bob leads until a doubling of Alice's passes him. */
async function contestedAuction(endsInMs: number, category?: string): Promise<string> {
  const created = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: {
      title: 'A brass telescope',
      startingPrice: 1000,
      endsAt: new Date(Date.now() + endsInMs).toISOString(),
      ...(category ? { category } : {}),
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  await database.db.update(auctions).set({ buyersPremiumBps: PREMIUM_BPS }).where(eq(auctions.id, created.body.id));
  for (const [who, amount] of [
    [alice, 2000],
    [bob, 3000],
  ] as const) {
    const placed = await call(`${api.url}/v1/auctions/${created.body.id}/bids`, { token: who.token, body: { amount } });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
  }
  return created.body.id;
}

async function createPromotion(body: Record<string, unknown>): Promise<PromotionJson> {
  const created = await promotionsApi<PromotionJson>('', { body: { every: 'PT1H', budget: 100_000, ...body } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body;
}

/** A firing id whose seed makes the strategy choose `bidderId` among these candidates (seeds are uniform, so a few tries do). */
function firingIdChoosing(candidates: CandidateAuction[], bidderId: string): string {
  for (let i = 0; ; i++) {
    const id = `test-firing-${randomUUID()}`;
    if (chooseDoubling(candidates, 'uniform', seedOf(id))?.bidder.bidderId === bidderId) return id;
    assert.ok(i < 200, 'some seed chooses each bidder');
  }
}

const promotionCount = async () => (await database.db.select({ id: promotions.id }).from(promotions)).length;
const auditCount = async () => (await database.db.select({ id: auditLog.id }).from(auditLog)).length;

describe('defining promotions', () => {
  test('when the input is bad, then 400 (or 404) in the one error shape, and nothing is created or logged', async () => {
    const [before, logged] = [await promotionCount(), await auditCount()];
    const bad: [Record<string, unknown>, number, string][] = [
      [{ every: 'PT1H', budget: -5 }, 400, 'budget'],
      [{ every: 'PT1H', budget: 0 }, 400, 'budget'],
      [{ every: 'PT1H', budget: 1e12 }, 400, 'budget'],
      [{ every: 'PT1H', budget: 10.5 }, 400, 'budget'],
      [{ every: 'PT1H', budget: '100' }, 400, 'budget'],
      [{ every: 'P1M', budget: 100 }, 400, 'every'],
      [{ every: 'PT10S', budget: 100 }, 400, 'every'],
      [{ every: 'every hour', budget: 100 }, 400, 'every'],
      [{ every: 'PT1H', jitter: 'PT2H', budget: 100 }, 400, 'jitter'],
      [{ every: 'PT1H', budget: 100, strategy: 'favourites' }, 400, 'strategy'],
      [{ every: 'PT1H', budget: 100, maxPerAuction: 0 }, 400, 'maxPerAuction'],
      [{ every: 'PT1H', budget: 100, currency: 'usd' }, 400, 'currency'],
      [{ every: 'PT1H', budget: 100, scope: { seller: 'x' } }, 400, 'scope'],
      [{ every: 'PT1H', budget: 100, surprise: true }, 400, ''],
      [{ every: 'PT1H', budget: 100, scope: { auctionId: randomUUID() } }, 404, ''],
    ];
    for (const [body, status, field] of bad) {
      const answer = await promotionsApi<{ error: { code: string; issues?: { path: string }[] } }>('', { body });
      assert.equal(answer.status, status, `${JSON.stringify(body)}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.error.code, status === 400 ? 'VALIDATION' : 'NOT_FOUND');
      if (field)
        assert.ok(
          answer.body.error.issues?.some((issue) => issue.path.startsWith(field)),
          JSON.stringify(answer.body),
        );
    }
    const notAdmin = await promotionsApi('', { body: { every: 'PT1H', budget: 100 }, token: alice.token });
    assert.deepEqual([notAdmin.status, notAdmin.body.error?.code], [403, 'FORBIDDEN']);
    assert.equal((await promotionsApi('', { token: alice.token })).status, 403);
    assert.equal(await promotionCount(), before);
    assert.equal(await auditCount(), logged);
  });

  test('when an admin creates, pauses, resumes and deletes one, then its schedule follows and each change is logged once', async () => {
    const promotion = await createPromotion({
      every: 'PT2H',
      jitter: 'PT5M',
      scope: { category: 'art' },
      strategy: 'newer_bidders',
    });
    assert.deepEqual(
      [promotion.status, promotion.scope, promotion.committed, promotion.remaining, promotion.createdBy],
      ['active', { category: 'art', auctionId: null }, 0, 100_000, boss.id],
    );
    const schedule = worker.client.schedule.getHandle(promotionScheduleId(promotion.id));
    const described = await schedule.describe();
    assert.equal(described.spec.intervals?.[0]?.every, 2 * 3_600_000);
    assert.equal(described.state.paused, false);

    const detail = await promotionsApi<PromotionDetailJson>(`/${promotion.id}`);
    assert.equal(detail.status, 200);
    assert.ok(detail.body.nextFiringAt !== null && Date.parse(detail.body.nextFiringAt) > Date.now());
    assert.deepEqual(detail.body.firings, []);

    const paused = await promotionsApi<PromotionJson>(`/${promotion.id}`, {
      method: 'PATCH',
      body: { status: 'paused', reason: 'quiet week' },
    });
    assert.equal(paused.body.status, 'paused');
    assert.equal((await schedule.describe()).state.paused, true);
    // Pausing what is paused changes nothing and logs nothing.
    await promotionsApi(`/${promotion.id}`, { method: 'PATCH', body: { status: 'paused' } });
    const resumed = await promotionsApi<PromotionJson>(`/${promotion.id}`, {
      method: 'PATCH',
      body: { status: 'active' },
    });
    assert.equal(resumed.body.status, 'active');
    assert.equal((await schedule.describe()).state.paused, false);

    const listed = await promotionsApi<{ items: PromotionJson[] }>('');
    assert.ok(listed.body.items.some((item) => item.id === promotion.id));
    const deleted = await promotionsApi<PromotionJson>(`/${promotion.id}?reason=done`, { method: 'DELETE' });
    assert.deepEqual([deleted.status, deleted.body.status], [200, 'deleted']);
    await assert.rejects(schedule.describe(), /not found/i);
    assert.equal((await promotionsApi(`/${promotion.id}`)).status, 404);
    assert.equal((await promotionsApi(`/${promotion.id}`, { method: 'DELETE' })).status, 404);
    assert.ok(
      !(await promotionsApi<{ items: PromotionJson[] }>('')).body.items.some((item) => item.id === promotion.id),
    );

    const entries = await database.db
      .select({ action: auditLog.action, actorId: auditLog.actorId, reason: auditLog.reason })
      .from(auditLog)
      .where(eq(auditLog.targetId, promotion.id))
      .orderBy(auditLog.id);
    assert.deepEqual(entries, [
      { action: 'promotion_created', actorId: boss.id, reason: null },
      { action: 'promotion_paused', actorId: boss.id, reason: 'quiet week' },
      { action: 'promotion_resumed', actorId: boss.id, reason: null },
      { action: 'promotion_deleted', actorId: boss.id, reason: 'done' },
    ]);
  });

  test('when the id is malformed or unknown, then 404 and nothing changes', async () => {
    for (const id of ['nope', randomUUID()]) {
      assert.equal((await promotionsApi(`/${id}`)).status, 404);
      assert.equal((await promotionsApi(`/${id}`, { method: 'PATCH', body: { status: 'paused' } })).status, 404);
    }
    const badStatus = await promotionsApi(`/${randomUUID()}`, { method: 'PATCH', body: { status: 'deleted' } });
    assert.equal(badStatus.status, 400);
  });
});

describe('a firing', () => {
  test('when its schedule fires, then it doubles a bidder chosen as its seed says, tells them, logs it and shows it live', async () => {
    const auctionId = await contestedAuction(3_600_000);
    const events = watchEvents(`${api.url}/v1/auctions/${auctionId}/events`);
    await events.waitFor('snapshot');
    const promotion = await createPromotion({ scope: { auctionId } });
    await worker.client.schedule.getHandle(promotionScheduleId(promotion.id)).trigger();
    const firing = await until('the firing', async () => {
      const [row] = await database.db
        .select()
        .from(promotionFirings)
        .where(eq(promotionFirings.promotionId, promotion.id));
      return row?.seq ? row : undefined;
    });
    assert.equal(firing.outcome, 'doubled');
    // Reproducible: the recorded seed, strategy and candidates choose this firing's bidder again.
    assert.equal(firing.seed, seedOf(firing.id));
    const again = chooseDoubling(firing.candidates, firing.strategy, firing.seed);
    assert.deepEqual([again?.auctionId, again?.bidder.bidderId], [auctionId, firing.bidderId]);
    assert.equal(firing.toMax, firing.fromMax! * 2);

    const doubled = await events.waitFor('doubled');
    assert.equal(doubled.id, String(firing.seq));
    await events.close();
    const book = await worker.store.readBook(auctionId);
    assert.deepEqual(
      [book.bidders.get(firing.bidderId!)?.live?.max, book.bidders.get(firing.bidderId!)?.promotedFrom],
      [firing.toMax, firing.fromMax],
    );
    const notice = await until('the bid_doubled notification', async () => {
      const [row] = await database.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, firing.bidderId!), eq(notifications.type, 'bid_doubled')));
      return row;
    });
    assert.deepEqual([notice.data.ownMaximum, notice.data.doubledMaximum], [firing.fromMax, firing.toMax]);
    const [entry] = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, promotion.id), eq(auditLog.action, 'promotion_fired')));
    assert.deepEqual([entry?.actorId, entry?.details.firingId, entry?.details.outcome], [null, firing.id, 'doubled']);
    const detail = await promotionsApi<PromotionDetailJson>(`/${promotion.id}`);
    assert.deepEqual(
      detail.body.firings.map((f) => [f.id, f.outcome]),
      [[firing.id, 'doubled']],
    );
    assert.equal(detail.body.committed, firing.exposure);
  });

  test('when the doubled bidder wins, then the house pays what passes their own maximum and the seller is paid on the hammer price', async () => {
    const activities = createPromotionActivities(database.db, worker.store);
    const auctionId = await contestedAuction(7_000);
    const promotion = await createPromotion({ scope: { auctionId }, every: 'P30D' });
    const book = await worker.store.readBook(auctionId);
    const candidates: CandidateAuction[] = [
      {
        auctionId,
        bidders: [alice, bob].map((u) => ({
          bidderId: u.id,
          alias: book.bidders.get(u.id)!.alias,
          max: book.bidders.get(u.id)!.live!.max,
        })),
      },
    ];
    const firingId = firingIdChoosing(candidates, alice.id);
    assert.equal(await activities.firePromotion({ promotionId: promotion.id, firingId }), 'doubled');
    // Run again (a retry after a crash): the same answer, and no second doubling.
    const seq = (await worker.store.readState(auctionId))!.state.seq;
    assert.equal(await activities.firePromotion({ promotionId: promotion.id, firingId }), 'doubled');
    assert.equal((await worker.store.readState(auctionId))!.state.seq, seq);
    assert.equal(
      (await database.db.select().from(promotionFirings).where(eq(promotionFirings.id, firingId))).length,
      1,
    );

    const live = (await worker.store.readState(auctionId))!.state;
    const hammer = Math.min(4000, 3000 + increment(3000));
    assert.deepEqual([live.leaderId, live.price, live.leaderMax], [alice.id, hammer, 4000]);

    const closed = await until(
      'the close and its order',
      async () => {
        const [row] = await database.db.select().from(auctions).where(eq(auctions.id, auctionId));
        return row?.orderId ? row : undefined;
      },
      30_000,
    );
    const [order] = await database.db.select().from(orders).where(eq(orders.id, closed.orderId!));
    const charged = orderAmounts(hammer, PREMIUM_BPS);
    const ownCost = orderAmounts(2000, PREMIUM_BPS).total;
    assert.deepEqual(
      [order!.buyerId, order!.hammerPrice, order!.total, order!.houseSubsidy, order!.promotionFiringId],
      [alice.id, hammer, charged.total, charged.total - ownCost, firingId],
    );
    const mine = await call<{ amountDue: number; houseSubsidy: number }>(`${api.url}/v1/orders/${order!.id}`, {
      token: alice.token,
    });
    assert.deepEqual([mine.body.amountDue, mine.body.houseSubsidy], [ownCost, charged.total - ownCost]);
    // The budget now holds what the order's subsidy costs, not the doubling's worst case.
    const detail = await promotionsApi<PromotionDetailJson>(`/${promotion.id}`);
    assert.equal(detail.body.committed, charged.total - ownCost);
    // Bob lost the lead to the doubling: he was told, like any outbid.
    const outbid = await database.db
      .select()
      .from(notifications)
      .where(
        and(eq(notifications.userId, bob.id), eq(notifications.type, 'outbid'), eq(notifications.auctionId, auctionId)),
      );
    assert.equal(outbid.length, 1);
  });

  test('when the worst case would pass the budget, then nothing is doubled and the firing says over_budget', async () => {
    const activities = createPromotionActivities(database.db, worker.store);
    const auctionId = await contestedAuction(3_600_000);
    const promotion = await createPromotion({ scope: { auctionId }, budget: 1 });
    const seq = (await worker.store.readState(auctionId))!.state.seq;
    assert.equal(
      await activities.firePromotion({ promotionId: promotion.id, firingId: `test-${randomUUID()}` }),
      'over_budget',
    );
    assert.equal((await worker.store.readState(auctionId))!.state.seq, seq);
    const book = await worker.store.readBook(auctionId);
    assert.ok([...book.bidders.values()].every((entry) => entry.promotedFrom === null));
    const detail = await promotionsApi<PromotionDetailJson>(`/${promotion.id}`);
    assert.deepEqual([detail.body.committed, detail.body.firings[0]?.outcome], [0, 'over_budget']);
  });

  test('when the promotion is paused or nothing is in scope, then the firing records why and changes nothing', async () => {
    const activities = createPromotionActivities(database.db, worker.store);
    const empty = await call<AuctionJson>(`${api.url}/v1/auctions`, {
      token: seller.token,
      body: { title: 'Nobody bid', startingPrice: 1000, endsAt: new Date(Date.now() + 3_600_000).toISOString() },
    });
    const quiet = await createPromotion({ scope: { auctionId: empty.body.id } });
    assert.equal(
      await activities.firePromotion({ promotionId: quiet.id, firingId: `test-${randomUUID()}` }),
      'no_candidate',
    );
    await promotionsApi(`/${quiet.id}`, { method: 'PATCH', body: { status: 'paused' } });
    assert.equal(
      await activities.firePromotion({ promotionId: quiet.id, firingId: `test-${randomUUID()}` }),
      'inactive',
    );
    const outcomes = await database.db
      .select({ outcome: promotionFirings.outcome })
      .from(promotionFirings)
      .where(eq(promotionFirings.promotionId, quiet.id));
    assert.deepEqual(outcomes.map((row) => row.outcome).sort(), ['inactive', 'no_candidate']);
  });

  test('when firings race, then the budget is never passed, and one firing run many times at once doubles once', async () => {
    const activities = createPromotionActivities(database.db, worker.store);
    const auctionIds = await Promise.all([1, 2, 3, 4].map(() => contestedAuction(3_600_000, 'toys')));
    // A doubling's worst case here is 2,200 (Alice's 2,000) or 3,300 (Bob's 3,000): two fit at most.
    const promotion = await createPromotion({ scope: { category: 'toys' }, budget: 5_000, maxPerAuction: 2 });
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () =>
        activities.firePromotion({ promotionId: promotion.id, firingId: `race-${randomUUID()}` }),
      ),
    );
    const doubled = await database.db
      .select()
      .from(promotionFirings)
      .where(and(eq(promotionFirings.promotionId, promotion.id), eq(promotionFirings.outcome, 'doubled')));
    assert.ok(doubled.length >= 1, `outcomes: ${outcomes.join(', ')}`);
    const held = doubled.reduce((sum, firing) => sum + firing.exposure, 0);
    assert.ok(held <= 5_000, `committed ${held} of 5,000`);
    assert.equal(outcomes.filter((o) => o === 'doubled').length, doubled.length);
    const books = await Promise.all(auctionIds.map((id) => worker.store.readBook(id)));
    const doubledInRedis = books.flatMap((book) => [...book.bidders.values()].filter((e) => e.promotedFrom !== null));
    assert.equal(doubledInRedis.length, doubled.length, 'every doubling recorded is in Redis, and no other');

    const auctionId = await contestedAuction(3_600_000);
    const one = await createPromotion({ scope: { auctionId } });
    const firingId = `retry-${randomUUID()}`;
    const repeats = await Promise.all(
      Array.from({ length: 5 }, () => activities.firePromotion({ promotionId: one.id, firingId })),
    );
    assert.equal(new Set(repeats).size, 1, repeats.join(', '));
    const entries = (await worker.store.readBids(auctionId, 0, 100)).filter((entry) => entry.type === 'doubling');
    assert.equal(entries.length, repeats[0] === 'doubled' ? 1 : 0);
    const fired = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, one.id), eq(auditLog.action, 'promotion_fired')));
    assert.equal(fired.length, 1);
  });
});
