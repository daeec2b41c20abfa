/**
 * POST /v1/auctions/:id/retractions over real HTTP with a real worker: the two scopes, the once-per-auction
 * and after-the-close refusals, RETRACTIONS_TO_BLOCK, and bad input that answers 4xx in the error shape
 * and changes nothing.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { auditLog } from '../db/audit-log-schema.js';
import { bidRetractions, bids } from '../db/schema.js';
import { auctionWorkflowId } from '../domain/temporal-names.js';
import type { auctionWorkflow } from '../workflows/auction.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson, type BidJson, type ErrorJson } from './helpers/http.js';
import { startTestWorker, type TestWorker } from './helpers/temporal.js';

let database: TestDatabase;
let worker: TestWorker;
let api: TestApi;
/** The same stack with RETRACTIONS_TO_BLOCK=0: one retraction in 6 months, then no more. */
let strictApi: TestApi;
let seller: { id: string; token: string };
/** ADMIN_EMAILS names this address: whoever signs up with it is an admin. */
const ADMIN_EMAIL = `moderator-${randomUUID()}@example.test`;
before(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database.db);
  const env = { DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: worker.taskQueue, ADMIN_EMAILS: ADMIN_EMAIL };
  api = await startTestApi(env);
  strictApi = await startTestApi({ ...env, RETRACTIONS_TO_BLOCK: '0' });
  seller = await signUp(api.url, 'seller');
});
after(async () => {
  await strictApi.close();
  await api.close();
  await worker.stop();
  await database.drop();
});

const HOUR = 3_600_000;
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

async function createAuction(endsInMs: number, body: Record<string, unknown> = {}) {
  const answer = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: { title: 'Lot', startingPrice: 1000, endsAt: inMs(endsInMs), ...body },
  });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body.id;
}

async function bid(auctionId: string, token: string, amount: number, url = api.url) {
  const answer = await call<BidJson>(`${url}/v1/auctions/${auctionId}/bids`, { token, body: { amount } });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

interface RetractionJson {
  seq: number;
  scope: 'all' | 'last';
  retractedAlias: string;
  currentPrice: number;
  leaderAlias: string | null;
  bidCount: number;
}

const retract = (
  auctionId: string,
  token: string | undefined,
  body: unknown = { reason: 'wrong_amount' },
  url = api.url,
) =>
  call<RetractionJson & ErrorJson & { error?: { reason?: string } }>(`${url}/v1/auctions/${auctionId}/retractions`, {
    token,
    body,
  });

const auctionNow = async (id: string) =>
  (await call<AuctionJson>(`${api.url}/v1/auctions/${id}`, { token: seller.token })).body;

/** Waits until the persist cycle has copied the auction's retractions into Postgres. */
async function persistedRetractions(auctionId: string, count: number) {
  for (let waited = 0; waited < 10_000; waited += 50) {
    const rows = await database.db.select().from(bidRetractions).where(eq(bidRetractions.auctionId, auctionId));
    if (rows.length >= count) return rows;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the retractions of ${auctionId} were not persisted`);
}

describe('the two scopes', () => {
  test('with 12 hours or more left, all of the bidder’s bids go, and the next bidder leads at the formula', async () => {
    const [a, b] = await Promise.all([signUp(api.url, 'a'), signUp(api.url, 'b')]);
    const auctionId = await createAuction(13 * HOUR);
    await bid(auctionId, a.token, 2_000);
    await bid(auctionId, b.token, 3_000);
    await bid(auctionId, a.token, 9_000);
    assert.equal((await auctionNow(auctionId)).leaderId, a.id);

    const answer = await retract(auctionId, a.token);
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    // a's 2 000 and 9 000 both go: b alone, at the starting price.
    assert.deepEqual(
      [
        answer.body.scope,
        answer.body.retractedAlias,
        answer.body.currentPrice,
        answer.body.leaderAlias,
        answer.body.bidCount,
      ],
      ['all', 'Bidder 1', 1_000, 'Bidder 2', 1],
    );
    const after = await auctionNow(auctionId);
    assert.deepEqual([after.leaderId, after.currentPrice, after.bidCount, after.seq], [b.id, 1_000, 1, 4]);

    const [row] = await persistedRetractions(auctionId, 1);
    assert.deepEqual(
      [row?.seq, row?.mode, row?.scope, row?.reason, row?.actorId],
      [4, 'retract', 'all', 'wrong_amount', a.id],
    );
    const stored = await database.db.select().from(bids).where(eq(bids.auctionId, auctionId));
    assert.deepEqual(
      stored.map((bid) => [bid.seq, bid.retractedBySeq]).sort(([x], [y]) => Number(x) - Number(y)),
      [
        [1, 4],
        [2, null],
        [3, 4],
      ],
      'the bids stay in the history, marked by the retraction that took them',
    );
  });

  test('with less left, only the last bid goes: the bidder’s maximum is the one before it again', async () => {
    const [a, b] = await Promise.all([signUp(api.url, 'a'), signUp(api.url, 'b')]);
    const auctionId = await createAuction(HOUR);
    await bid(auctionId, a.token, 2_000);
    await bid(auctionId, b.token, 3_000);
    await bid(auctionId, a.token, 9_000);
    const answer = await retract(auctionId, a.token, { reason: 'item_changed' });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    // b's 3 000 against a's 2 000 again: b leads at one increment above 2 000.
    assert.deepEqual(
      [answer.body.scope, answer.body.currentPrice, answer.body.leaderAlias, answer.body.bidCount],
      ['last', 2_050, 'Bidder 2', 2],
    );
  });
});

describe('refusals change nothing', () => {
  test('someone who never bid, a second retraction, a closed auction: 409 with the reason', async () => {
    const [a, stranger] = await Promise.all([signUp(api.url, 'a'), signUp(api.url, 'stranger')]);
    const auctionId = await createAuction(4_000);
    await bid(auctionId, a.token, 2_000);
    const before = await auctionNow(auctionId);

    const never = await retract(auctionId, stranger.token);
    assert.deepEqual(
      [never.status, never.body.error?.code, never.body.error?.reason],
      [409, 'RETRACTION_NOT_ALLOWED', 'no_bids'],
    );

    assert.equal((await retract(auctionId, a.token)).status, 201);
    await bid(auctionId, a.token, 3_000);
    const twice = await retract(auctionId, a.token);
    assert.deepEqual([twice.status, twice.body.error?.reason], [409, 'already_retracted']);
    assert.equal((await auctionNow(auctionId)).seq, before.seq + 2, 'only the retraction and the bid after it');

    await worker.client.workflow.getHandle<typeof auctionWorkflow>(auctionWorkflowId(auctionId)).result();
    const closed = await auctionNow(auctionId);
    const late = await retract(auctionId, a.token);
    assert.deepEqual([late.status, late.body.error?.reason], [409, 'auction_not_open']);
    assert.deepEqual(await auctionNow(auctionId), closed);
  });

  test('above RETRACTIONS_TO_BLOCK in 6 months a user may not retract again', async () => {
    // Each test API signs its own tokens: this bidder uses the strict one throughout.
    const a = await signUp(strictApi.url, 'a');
    const [first, second] = [await createAuction(HOUR), await createAuction(HOUR)];
    await bid(first, a.token, 2_000, strictApi.url);
    await bid(second, a.token, 2_000, strictApi.url);
    assert.equal((await retract(first, a.token, undefined, strictApi.url)).status, 201);
    await persistedRetractions(first, 1);
    const refused = await retract(second, a.token, undefined, strictApi.url);
    assert.deepEqual([refused.status, refused.body.error?.reason], [409, 'too_many_retractions']);
    assert.deepEqual([(await auctionNow(second)).leaderId, (await auctionNow(second)).seq], [a.id, 1]);
  });

  test('when a user retracts on several auctions at once, then no more than RETRACTIONS_TO_BLOCK + 1 get through', async () => {
    const a = await signUp(strictApi.url, 'a');
    // A refused retraction (no bid here) uses up nothing.
    const empty = await createAuction(HOUR);
    assert.equal((await retract(empty, a.token, undefined, strictApi.url)).body.error?.reason, 'no_bids');
    const auctionIds = await Promise.all([1, 2, 3, 4, 5].map(() => createAuction(HOUR)));
    for (const auctionId of auctionIds) await bid(auctionId, a.token, 2_000, strictApi.url);
    const answers = await Promise.all(auctionIds.map((id) => retract(id, a.token, undefined, strictApi.url)));
    const reasons = answers.map((answer) => (answer.status === 201 ? 'retracted' : answer.body.error?.reason));
    assert.deepEqual(reasons.slice().sort(), [
      'retracted',
      'too_many_retractions',
      'too_many_retractions',
      'too_many_retractions',
      'too_many_retractions',
    ]);
  });

  test('bad input: no token, an unknown reason, a malformed body, an unknown auction', async () => {
    const a = await signUp(api.url, 'a');
    const auctionId = await createAuction(HOUR);
    await bid(auctionId, a.token, 2_000);
    assert.equal((await retract(auctionId, undefined)).status, 401);
    for (const body of [
      { reason: 'changed_my_mind' },
      {},
      { reason: 'wrong_amount', extra: 1 },
      'wrong_amount',
      null,
    ]) {
      const answer = await retract(auctionId, a.token, body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(typeof answer.body.error?.message, 'string');
    }
    const raw = await call<ErrorJson>(`${api.url}/v1/auctions/${auctionId}/retractions`, {
      token: a.token,
      raw: '{"reason":',
    });
    assert.equal(raw.status, 400);
    assert.equal((await retract('00000000-0000-4000-8000-000000000000', a.token)).status, 404);
    assert.equal((await retract('not-an-id', a.token)).status, 404);
    assert.deepEqual([(await auctionNow(auctionId)).seq, (await auctionNow(auctionId)).leaderId], [1, a.id]);
  });
});

describe('an admin’s void', () => {
  async function signUpAdmin() {
    const password = 'correct horse battery staple';
    const user = await call<{ id: string }>(`${api.url}/v1/users`, {
      body: { email: ADMIN_EMAIL, password, displayName: 'moderator' },
    });
    const token = await call<{ accessToken: string }>(`${api.url}/v1/auth/token`, {
      body: { email: ADMIN_EMAIL, password },
    });
    return { id: user.body.id, token: token.body.accessToken };
  }

  test('takes all of a bidder’s bids whatever the time, does not use up their retraction, and is audited', async () => {
    const admin = await signUpAdmin();
    const [a, b] = await Promise.all([signUp(api.url, 'a'), signUp(api.url, 'b')]);
    const auctionId = await createAuction(HOUR);
    await bid(auctionId, a.token, 2_000);
    await bid(auctionId, b.token, 3_000);
    await bid(auctionId, a.token, 9_000);
    const voidBids = (token: string, body: unknown) =>
      call<RetractionJson & ErrorJson & { error?: { reason?: string } }>(
        `${api.url}/v1/admin/auctions/${auctionId}/voids`,
        {
          token,
          body,
          headers: { 'x-request-id': 'void-request-1' },
        },
      );

    // Not an admin: 403, and nothing changes.
    const refused = await voidBids(b.token, { bidderId: a.id, reason: 'shill bidding' });
    assert.deepEqual([refused.status, refused.body.error?.code], [403, 'FORBIDDEN']);
    assert.equal((await auctionNow(auctionId)).seq, 3);
    assert.equal((await voidBids(admin.token, { bidderId: a.id })).status, 400, 'a void needs a reason');

    const voided = await voidBids(admin.token, { bidderId: a.id, reason: 'shill bidding' });
    assert.equal(voided.status, 201, JSON.stringify(voided.body));
    // Under 12 hours left, yet both of a's bids go: b alone, at the starting price.
    assert.deepEqual(
      [voided.body.scope, voided.body.currentPrice, voided.body.leaderAlias, voided.body.bidCount],
      ['all', 1_000, 'Bidder 2', 1],
    );
    const again = await voidBids(admin.token, { bidderId: a.id, reason: 'shill bidding' });
    assert.deepEqual([again.status, again.body.error?.reason], [409, 'no_bids']);

    // The bidder's own retraction is still theirs to use.
    await bid(auctionId, a.token, 4_000);
    assert.equal((await retract(auctionId, a.token)).status, 201);

    const [voidRow, retractRow] = (await persistedRetractions(auctionId, 2)).sort((x, y) => x.seq - y.seq);
    assert.deepEqual(
      [voidRow?.mode, voidRow?.actorId, retractRow?.mode, retractRow?.actorId],
      ['void', admin.id, 'retract', a.id],
    );
    const entries = await database.db.select().from(auditLog).where(eq(auditLog.targetId, auctionId));
    assert.deepEqual(
      entries.map((entry) => [entry.action, entry.actorId, entry.reason]).sort(),
      [
        ['bids_retracted', a.id, 'wrong_amount'],
        ['bids_voided', admin.id, 'shill bidding'],
      ],
      'one entry each, written with the retraction’s row',
    );
    assert.equal(entries.find((entry) => entry.action === 'bids_voided')?.requestId, 'void-request-1');
  });
});
