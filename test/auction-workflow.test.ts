import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { auctions } from '../db/schema.js';
import type { AuctionWorkflowInput } from '../domain/auction-workflow.js';
import { auctionWorkflowId, SEARCH_ATTRIBUTES } from '../domain/temporal-names.js';
import { auctionWorkflow } from '../workflows/auction.js';
import { cancelSignal, stateQuery } from '../workflows/definitions.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { insertAuction, insertUser, openBidding } from './helpers/fixtures.js';
import { startTestWorker, type TestWorker } from './helpers/temporal.js';

let database: TestDatabase;
let worker: TestWorker;
before(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database.db);
});
after(async () => {
  await worker.stop();
  await database.drop();
});

async function startAuction(startInMs: number, runForMs: number) {
  const seller = await insertUser(database.db);
  const startsAt = new Date(Date.now() + startInMs);
  const endsAt = new Date(startsAt.getTime() + runForMs);
  const auction = await insertAuction(database.db, seller.id, startsAt, endsAt);
  await openBidding(worker.store, auction);
  const input: AuctionWorkflowInput = {
    auctionId: auction.id,
    sellerId: seller.id,
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
  };
  const handle = await worker.client.workflow.start(auctionWorkflow, {
    workflowId: auctionWorkflowId(auction.id),
    taskQueue: worker.taskQueue,
    args: [input],
  });
  return { auction, seller, handle, startsAt, endsAt };
}

const statusInDb = async (id: string) =>
  (await database.db.select({ status: auctions.status }).from(auctions).where(eq(auctions.id, id)))[0]?.status;

async function eventually<T>(read: () => Promise<T>, expected: T, withinMs = 10_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  let last: T = await read();
  while (last !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await read();
  }
  assert.equal(last, expected);
}

test('when an auction is scheduled, then it opens at startsAt and closes unsold at endsAt, in Postgres too', async () => {
  const { auction, handle, startsAt, endsAt } = await startAuction(1500, 1500);
  assert.equal((await handle.query(stateQuery)).status, 'scheduled');

  await eventually(async () => (await handle.query(stateQuery)).status, 'open');
  assert.ok(Date.now() >= startsAt.getTime(), 'opened no earlier than startsAt');
  assert.equal(await statusInDb(auction.id), 'open');

  const final = await handle.result();
  assert.ok(Date.now() >= endsAt.getTime(), 'closed no earlier than endsAt');
  assert.equal(final.status, 'closed');
  assert.deepEqual(final.result, { outcome: 'unsold', winnerId: null, finalPrice: null });
  assert.equal(await statusInDb(auction.id), 'closed');
});

test('when an auction closes, then its search attributes show status, end and seller to operators', async () => {
  const { handle, seller, endsAt } = await startAuction(0, 500);
  await handle.result();
  const { searchAttributes } = await handle.describe();
  assert.deepEqual(searchAttributes[SEARCH_ATTRIBUTES.status.name], ['closed']);
  assert.deepEqual(searchAttributes[SEARCH_ATTRIBUTES.sellerId.name], [seller.id]);
  assert.equal((searchAttributes[SEARCH_ATTRIBUTES.endsAt.name]?.[0] as Date).getTime(), endsAt.getTime());
});

test('when the seller cancels a scheduled auction, then it is cancelled with the reason and never opens', async () => {
  const { auction, handle } = await startAuction(60_000, 60_000);
  await handle.signal(cancelSignal, { reason: 'item damaged' });
  const final = await handle.result();
  assert.equal(final.status, 'cancelled');
  assert.equal(final.cancelReason, 'item damaged');
  const [row] = await database.db.select().from(auctions).where(eq(auctions.id, auction.id));
  assert.equal(row?.status, 'cancelled');
  assert.equal(row?.cancelReason, 'item damaged');
  assert.ok(row?.closedAt instanceof Date);
});

test('when an open auction is cancelled, then it ends cancelled before its end time', async () => {
  const { handle, endsAt } = await startAuction(0, 60_000);
  await eventually(async () => (await handle.query(stateQuery)).status, 'open');
  await handle.signal(cancelSignal, { reason: 'seller withdrew' });
  assert.equal((await handle.result()).status, 'cancelled');
  assert.ok(Date.now() < endsAt.getTime());
});

test('when a run continues as new with carried state, then it resumes from the carried high-water seq and closes once', async () => {
  const seller = await insertUser(database.db);
  const [ann, ben] = [await insertUser(database.db), await insertUser(database.db)];
  const startsAt = new Date(Date.now() - 1000);
  const endsAt = new Date(Date.now() + 1500);
  const auction = await insertAuction(database.db, seller.id, startsAt, endsAt);
  await openBidding(worker.store, auction);
  for (const [bidder, amount] of [
    [ann, 1000],
    [ben, 1500],
    [ann, 2000],
    [ben, 2600],
  ] as const) {
    const decision = await worker.store.placeBid(auction.id, {
      bidderId: bidder.id,
      amount,
      buyNow: false,
      idempotencyKey: null,
    });
    assert.equal(decision?.accepted, true);
  }
  // As if an earlier run had persisted seq 1-2 and then continued as new.
  const handle = await worker.client.workflow.start(auctionWorkflow, {
    workflowId: auctionWorkflowId(auction.id),
    taskQueue: worker.taskQueue,
    args: [
      {
        auctionId: auction.id,
        sellerId: seller.id,
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        carried: { status: 'open', endsAt: endsAt.toISOString(), persistedSeq: 2, cancelReason: null },
      },
    ],
  });
  const final = await handle.result();
  assert.equal(final.status, 'closed');
  assert.equal(final.persistedSeq, 4);
  // ben's 2,600 beats ann's 2,000 maximum by one increment (50 below 2,500).
  const [row] = await database.db
    .select({ orderId: auctions.orderId })
    .from(auctions)
    .where(eq(auctions.id, auction.id));
  assert.ok(row?.orderId, 'the sale made an order');
  assert.deepEqual(final.result, { outcome: 'sold', winnerId: ben.id, finalPrice: 2050, orderId: row.orderId });
  const rows = await database.pool.query<{ seq: number }>('SELECT seq FROM bids WHERE auction_id = $1 ORDER BY seq', [
    auction.id,
  ]);
  assert.deepEqual(
    rows.rows.map((row) => row.seq),
    [3, 4],
    'the continued run did not re-read what the earlier run persisted',
  );
});
