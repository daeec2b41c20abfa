/**
 * Retractions in a bid war, through the real HTTP API, Redis, Temporal and Postgres. The invariant: a
 * retraction takes back exactly the bids the rules say, concurrently with everyone else's bids, and the
 * auction ends at the formula (docs/architecture.md, "Proxy bidding") over the maxima that remain —
 * whatever order they came in. Retracted bids stay in the history, marked; every seq (bids and
 * retractions) is stored once, with no gap; watchers are told of each retraction.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { and, asc, eq, isNotNull } from 'drizzle-orm';
import { bidRetractions, bids } from '../db/schema.js';
import { auctionWorkflowId } from '../domain/temporal-names.js';
import { finalPriceOf, type AcceptedMax } from '../domain/proxy-bidding.js';
import type { auctionWorkflow } from '../workflows/auction.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson } from './helpers/http.js';
import { watchEvents } from './helpers/sse.js';
import { startTestWorker, type TestWorker } from './helpers/temporal.js';

const BIDDERS = 8;
/** Bidders 0…RETRACTORS-1 retract their last bid once, in the middle of the war. */
const RETRACTORS = 3;
const RULES = { startingPrice: 100, reservePrice: 5_000 };

let database: TestDatabase;
let worker: TestWorker;
let api: TestApi;
before(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database.db);
  api = await startTestApi({ DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: worker.taskQueue });
});
after(async () => {
  await api.close();
  await worker.stop();
  await database.drop();
});

interface Placed extends AcceptedMax {
  retracted: boolean;
}

interface RetractionAnswer {
  seq: number;
  scope: string;
  error?: { code: string; reason: string };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('when bidders retract during a bid war, then the auction ends at the formula over the maxima that remain', async () => {
  const seller = await signUp(api.url, 'seller');
  const bidders = await Promise.all(Array.from({ length: BIDDERS }, (_, i) => signUp(api.url, `bidder${i}`)));
  const created = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: { title: 'Contested lot', ...RULES, endsAt: new Date(Date.now() + 9_000).toISOString() },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const auctionId = created.body.id;
  const watcher = watchEvents(`${api.url}/v1/auctions/${auctionId}/events`);

  const placed: Placed[] = [];
  const retractions: { seq: number; bidderId: string }[] = [];
  /** Takes back, in the test's own record, what a 'last' retraction at `seq` took: the bidder's latest bid before it. */
  const recordRetraction = (bidderId: string, seq: number) => {
    const mine = placed.filter((bid) => bid.bidderId === bidderId && bid.seq < seq && !bid.retracted);
    const last = mine.sort((a, b) => b.seq - a.seq)[0];
    assert.ok(last, `${bidderId} had a bid to retract`);
    last.retracted = true;
    retractions.push({ seq, bidderId });
  };
  const retract = (token: string) =>
    call<RetractionAnswer>(`${api.url}/v1/auctions/${auctionId}/retractions`, {
      token,
      body: { reason: 'wrong_amount' },
    });

  let minimum = RULES.startingPrice;
  const warEndsAt = Date.now() + 4_000;
  await Promise.all(
    bidders.map(async (bidder, i) => {
      const retractAfter = i < RETRACTORS ? 3 + i * 2 : Infinity;
      let accepted = 0;
      let retracted = false;
      while (Date.now() < warEndsAt) {
        if (accepted >= retractAfter && !retracted) {
          retracted = true;
          const answer = await retract(bidder.token);
          assert.equal(answer.status, 201, JSON.stringify(answer.body));
          // Under 12 hours left: only the last bid goes.
          assert.equal(answer.body.scope, 'last');
          recordRetraction(bidder.id, answer.body.seq);
        }
        const max = minimum + Math.floor(Math.random() * 400);
        const answer = await call<{ seq: number; minimumNextBid: number; error?: { minimumNextBid: number } }>(
          `${api.url}/v1/auctions/${auctionId}/bids`,
          { token: bidder.token, body: { amount: max } },
        );
        if (answer.status === 201) {
          accepted += 1;
          placed.push({ seq: answer.body.seq, bidderId: bidder.id, max, retracted: false });
          minimum = Math.max(minimum, answer.body.minimumNextBid);
        } else {
          assert.equal(answer.status, 409, JSON.stringify(answer.body));
          minimum = Math.max(minimum, answer.body.error!.minimumNextBid);
        }
        await sleep(5 + Math.random() * 15);
      }
    }),
  );
  assert.equal(retractions.length, RETRACTORS, 'every planned retraction happened during the war');

  // The last change before the close is a retraction, by someone who has not retracted yet: the auction
  // then stands exactly at the formula over what remains.
  const last = bidders.slice(RETRACTORS).find((bidder) => placed.some((bid) => bid.bidderId === bidder.id))!;
  const answer = await retract(last.token);
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  recordRetraction(last.id, answer.body.seq);
  const again = await retract(last.token);
  assert.deepEqual([again.status, again.body.error?.reason], [409, 'already_retracted'], 'once per auction');

  const final = await worker.client.workflow.getHandle<typeof auctionWorkflow>(auctionWorkflowId(auctionId)).result();
  assert.equal(final.status, 'closed');
  const remaining = placed.filter((bid) => !bid.retracted);
  const formula = finalPriceOf(remaining, RULES);
  const expected = formula.reserveMet
    ? { outcome: 'sold', winnerId: formula.winnerId, finalPrice: formula.price }
    : { outcome: 'reserve_not_met', winnerId: null, finalPrice: null };
  const auction = (await call<AuctionJson>(`${api.url}/v1/auctions/${auctionId}`, { token: seller.token })).body;
  assert.ok(auction.result);
  assert.deepEqual(
    { outcome: auction.result.outcome, winnerId: auction.result.winnerId, finalPrice: auction.result.finalPrice },
    expected,
  );
  assert.equal(auction.bidCount, remaining.length, 'retracted bids no longer count');

  // Every seq is stored once: the bids (retracted ones marked with the retraction that took them) and
  // the retractions, together 1…n with no gap.
  const stored = await database.db
    .select({ seq: bids.seq, retractedBy: bids.retractedBySeq })
    .from(bids)
    .where(eq(bids.auctionId, auctionId))
    .orderBy(asc(bids.seq));
  const storedRetractions = await database.db
    .select({ seq: bidRetractions.seq, bidderId: bidRetractions.bidderId, scope: bidRetractions.scope })
    .from(bidRetractions)
    .where(eq(bidRetractions.auctionId, auctionId));
  const allSeqs = [...stored.map((row) => row.seq), ...storedRetractions.map((row) => row.seq)].sort((a, b) => a - b);
  assert.deepEqual(
    allSeqs,
    Array.from({ length: placed.length + retractions.length }, (_, i) => i + 1),
  );
  assert.deepEqual(
    storedRetractions.map((row) => [row.seq, row.bidderId, row.scope]).sort(([a], [b]) => Number(a) - Number(b)),
    retractions.map((row) => [row.seq, row.bidderId, 'last']).sort(([a], [b]) => Number(a) - Number(b)),
  );
  const marked = await database.db
    .select({ seq: bids.seq })
    .from(bids)
    .where(and(eq(bids.auctionId, auctionId), isNotNull(bids.retractedBySeq)))
    .orderBy(asc(bids.seq));
  assert.deepEqual(
    marked.map((row) => row.seq),
    placed
      .filter((bid) => bid.retracted)
      .map((bid) => bid.seq)
      .sort((a, b) => a - b),
  );

  // Watchers were told of each retraction, with aliases and never an account id.
  await watcher.waitFor('closed');
  const told = watcher.events.filter((event) => event.event === 'retracted');
  assert.deepEqual(
    told.map((event) => Number(event.id)).sort((a, b) => a - b),
    retractions.map((row) => row.seq).sort((a, b) => a - b),
  );
  for (const event of told) {
    const data = event.data as { retractedAlias: string; leaderId: string | null };
    assert.match(data.retractedAlias, /^Bidder \d+$/);
    assert.equal(data.leaderId, null);
  }
  await watcher.close();
});
