/**
 * The listing read model kept fresh, on real Postgres, Redis and Temporal, with two API processes'
 * models: a bid placed through one API is in the other's listing within a second; the workflow's status
 * changes (close with its result, cancel) reach the listing; an API started later loads the current
 * state from Postgres; and what no note ever said (its API died first) is repaired by the reconcile.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { auctions } from '../db/schema.js';
import { auctionWorkflowId } from '../domain/temporal-names.js';
import { bidsPendingSignal } from '../workflows/definitions.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { insertAuction, openBidding } from './helpers/fixtures.js';
import { call, signUp, type AuctionJson, type BidJson } from './helpers/http.js';
import { newEs256PrivateKeyPem } from './helpers/jwt.js';
import { eventually, page } from './helpers/listing.js';
import { startTestWorker, type TestWorker } from './helpers/temporal.js';

let database: TestDatabase;
let worker: TestWorker;
let env: Record<string, string>;
let writer: TestApi;
let reader: TestApi;
let seller: { id: string; token: string };
let bidders: { id: string; token: string }[];

const RECONCILE_SECONDS = 1;

before(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database.db);
  env = {
    DATABASE_URL: database.url,
    TEMPORAL_TASK_QUEUE: worker.taskQueue,
    JWT_PRIVATE_KEY: newEs256PrivateKeyPem(),
    DISCOVERY_RECONCILE_SECONDS: String(RECONCILE_SECONDS),
  };
  writer = await startTestApi(env);
  reader = await startTestApi(env);
  seller = await signUp(writer.url, 'seller');
  bidders = [await signUp(writer.url, 'bidder-1'), await signUp(writer.url, 'bidder-2')];
});
after(async () => {
  await writer.close();
  await reader.close();
  await worker.stop();
  await database.drop();
});

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

async function createLot(body: Record<string, unknown> = {}) {
  const answer = await call<AuctionJson>(`${writer.url}/v1/auctions`, {
    token: seller.token,
    body: { title: 'A lot', startingPrice: 1000, endsAt: inSeconds(600), ...body },
  });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

/** The auction as `api` lists it (null when it does not). */
async function listedAt(api: TestApi, id: string): Promise<AuctionJson | null> {
  const items = (await page(api.url, { limit: 100, sort: 'newest' })).items;
  return items.find((item) => item.id === id) ?? null;
}

describe('freshness', () => {
  test('when bids are placed through one API, then the other lists each within a second', async () => {
    const lot = await createLot({ category: 'art' });
    const latencies: number[] = [];
    let amount = 1000;
    for (let i = 0; i < 12; i += 1) {
      const answer = await call<BidJson>(`${writer.url}/v1/auctions/${lot.id}/bids`, {
        token: bidders[i % 2]!.token,
        body: { amount },
      });
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
      amount = answer.body.minimumNextBid + 50;
      const acknowledged = Date.now();
      await eventually('the bid in the other API’s listing', async () => {
        const items = (await page(reader.url, { status: 'open', category: 'art', sort: 'most_bids' })).items;
        const listed = items.find((item) => item.id === lot.id);
        return listed?.seq === answer.body.seq && listed.currentPrice === answer.body.currentPrice;
      });
      latencies.push(Date.now() - acknowledged);
    }
    assert.ok(Math.max(...latencies) <= 1000, `bid → listed: ${latencies.join(', ')} ms`);
  });

  test('when an auction closes, then the listing shows it closed, with its result', async () => {
    const lot = await createLot({ endsAt: inSeconds(2) });
    const answer = await call<BidJson>(`${writer.url}/v1/auctions/${lot.id}/bids`, {
      token: bidders[0]!.token,
      body: { amount: 1500 },
    });
    assert.equal(answer.status, 201);
    await eventually(
      'closed in the listing, sold to the bidder',
      async () => {
        const listed = await listedAt(reader, lot.id);
        return listed?.status === 'closed' && listed.result?.winnerAlias === 'Bidder 1';
      },
      10_000,
    );
    const closed = await page(reader.url, { status: 'closed', limit: 100 });
    const [row] = await database.db.select({ orderId: auctions.orderId }).from(auctions).where(eq(auctions.id, lot.id));
    assert.ok(row?.orderId, 'the sale made an order');
    // The listing is public: the winner, its only bidder, by alias.
    assert.deepEqual(closed.items.find((item) => item.id === lot.id)?.result, {
      outcome: 'sold',
      winnerId: null,
      winnerAlias: 'Bidder 1',
      finalPrice: 1000,
      orderId: row.orderId,
    });
  });

  test('when an auction is cancelled, then it leaves the open listing for the cancelled one', async () => {
    const lot = await createLot();
    await eventually('listed open', async () => (await listedAt(reader, lot.id))?.status === 'open');
    const cancel = await call(`${writer.url}/v1/auctions/${lot.id}/cancel`, {
      token: seller.token,
      body: { reason: 'withdrawn' },
    });
    assert.equal(cancel.status, 200);
    await eventually('listed cancelled', async () => {
      const cancelled = await page(reader.url, { status: 'cancelled', limit: 100 });
      const open = await page(reader.url, { status: 'open', limit: 100 });
      return cancelled.items.some((item) => item.id === lot.id) && !open.items.some((item) => item.id === lot.id);
    });
  });
});

describe('loading and reconciling from Postgres', () => {
  test('when an API starts after bids were persisted, then its first listing has them', async () => {
    const lot = await createLot({ softClose: { windowSeconds: 3600, extendSeconds: 1200 } });
    let last: BidJson | undefined;
    for (const [i, amount] of [2000, 3000, 4500].entries()) {
      const answer = await call<BidJson>(`${writer.url}/v1/auctions/${lot.id}/bids`, {
        token: bidders[i % 2]!.token,
        body: { amount },
      });
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
      last = answer.body;
    }
    await eventually('the bids persisted', async () => {
      const [row] = await database.db.select().from(auctions).where(eq(auctions.id, lot.id));
      return row?.bidCount === last!.seq;
    });
    const late = await startTestApi(env);
    try {
      const listed = await listedAt(late, lot.id);
      assert.equal(listed?.currentPrice, last!.currentPrice);
      assert.equal(listed?.bidCount, 3);
      assert.equal(listed?.minimumNextBid, last!.minimumNextBid);
      // From the row's leader_alias: the first to bid leads again, as Bidder 1.
      assert.equal(listed?.leaderId, null);
      assert.equal(listed?.leaderAlias, 'Bidder 1');
      assert.equal(listed?.endsAt, last!.endsAt, 'the soft-close end, not the scheduled one');
      assert.equal(listed?.seq, last!.seq);
    } finally {
      await late.close();
    }
  });

  test('when a bid reaches Redis with no note (its API died), then the reconcile lists it', async () => {
    const lot = await createLot();
    await eventually('listed', async () => (await listedAt(reader, lot.id)) !== null);
    // What the bid route does, minus the note: as if the API died right after the script answered.
    const decision = await worker.store.placeBid(lot.id, {
      bidderId: bidders[1]!.id,
      amount: 7000,
      buyNow: false,
      idempotencyKey: null,
    });
    assert.ok(decision?.accepted);
    assert.equal((await listedAt(reader, lot.id))?.bidCount, 0, 'no note: not listed before Postgres has it');
    await worker.client.workflow
      .getHandle(auctionWorkflowId(lot.id))
      .signal(bidsPendingSignal, { seq: decision.seq, endsAtMs: decision.endsAtMs });
    await eventually(
      'the reconcile brings the bid in',
      async () => {
        const listed = await listedAt(reader, lot.id);
        return listed?.bidCount === 1 && listed.leaderAlias === 'Bidder 1';
      },
      5000 + 2 * RECONCILE_SECONDS * 1000,
    );
  });

  test('when an auction is created with no note, then the reconcile lists it, and the sweep drops it once the row is gone', async () => {
    // The row and bidding state an API leaves when it dies before announcing the auction.
    const startsAt = new Date();
    const row = await insertAuction(database.db, seller.id, startsAt, new Date(startsAt.getTime() + 600_000));
    await openBidding(worker.store, row);
    await eventually('listed by the reconcile', async () => (await listedAt(reader, row.id)) !== null, 5000);
    await database.db.delete(auctions).where(eq(auctions.id, row.id));
    // A deleted row changes nothing the incremental reconcile reads: the periodic sweep (every tenth
    // reconcile) finds it. Run one now rather than wait for it.
    await reader.discovery.reconcile({ sweep: true });
    assert.equal(await listedAt(reader, row.id), null);
  });
});
