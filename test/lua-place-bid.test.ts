/**
 * The bidding scripts against the test stack's real Redis. The main property: on random auctions and
 * random bid sequences, lua/place-bid.lua decides exactly what domain/proxy-bidding.ts decides (given
 * the Redis time the script reports), leaves exactly the model's state, and its stream holds exactly
 * the accepted bids, seq 1..n, in order.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { AuctionRules, BiddingState } from '../domain/bidding.js';
import { INCREMENT_TABLE, minimumNextBid } from '../domain/increments.js';
import { MAX_AMOUNT } from '../domain/money.js';
import { closeRedis, createRedis, type RedisClient } from '../config/redis.js';
import { onMessage, subscribe } from '../config/redis-pubsub.js';
import { decideBid } from '../domain/proxy-bidding.js';
import { emptyBook, leaderAliasOf, withAcceptedBid, type BidderBook } from '../domain/bidder-book.js';
import { decideRetraction, type RetractionMode } from '../domain/retraction.js';
import { decideDoubling } from '../domain/promotions/doubling.js';
import { BiddingStore, auctionKeys, type PlaceBidInput, type StreamEntry } from '../lua/bidding-store.js';
import { testConfig } from './helpers/config.js';
import { redisNowMs } from './helpers/redis.js';

let redis: RedisClient;
let store: BiddingStore;
before(() => {
  redis = createRedis(testConfig(), 'worker');
  store = new BiddingStore(redis);
});
after(async () => {
  await closeRedis(redis);
});

const SELLER = 'seller-1';

const rulesWith = (overrides: Partial<AuctionRules> = {}): AuctionRules => ({
  sellerId: SELLER,
  startingPrice: 1_000,
  reservePrice: null,
  buyNowPrice: null,
  softCloseWindowMs: 0,
  softCloseExtendMs: 0,
  ...overrides,
});

const initialState = (rules: AuctionRules, startsAtMs: number, endsAtMs: number): BiddingState => ({
  status: 'scheduled',
  startsAtMs,
  endsAtMs,
  price: rules.startingPrice,
  leaderId: null,
  leaderMax: null,
  seq: 0,
  bidCount: 0,
});

const NO_PREMIUM = { buyersPremiumBps: 0 };

/** A new auction open from a minute ago for `openForMs` more. */
async function openAuction(rules = rulesWith(), openForMs = 600_000, terms = NO_PREMIUM) {
  const auctionId = randomUUID();
  const now = await redisNowMs(redis);
  await store.initAuction(auctionId, rules, now - 60_000, now + openForMs, terms);
  return auctionId;
}

const bid = (bidderId: string, amount: number, extra: Partial<PlaceBidInput> = {}): PlaceBidInput => ({
  bidderId,
  amount,
  buyNow: false,
  idempotencyKey: null,
  ...extra,
});

async function place(auctionId: string, input: PlaceBidInput) {
  const result = await store.placeBid(auctionId, input);
  assert.ok(result, 'the auction exists');
  return result;
}

/** Collects the messages published on one channel. */
async function listen(channel: string) {
  const subscriber = createRedis(testConfig(), 'subscriber');
  const messages: unknown[] = [];
  onMessage(subscriber, (_channel, message) => messages.push(JSON.parse(message)));
  await subscribe(subscriber, channel);
  return {
    messages,
    /** Waits until `count` messages arrived (pub/sub delivery is asynchronous). */
    async received(count: number) {
      for (let waited = 0; messages.length < count && waited < 2_000; waited += 10) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return messages;
    },
    close: () => closeRedis(subscriber),
  };
}

// ---- the property: the script and the model agree ----

type AmountSpec =
  | { type: 'aboveMinimum'; delta: number }
  | { type: 'aboveLeaderMax'; delta: number }
  | { type: 'absolute'; value: number }
  | { type: 'buyNowPrice' };

interface StepSpec {
  who: number | 'leader';
  amount: AmountSpec;
  buyNow: boolean;
  /** Not a bid: the bidder retracts, or an admin voids their bids. */
  retract: RetractionMode | null;
  /** Not a bid either (when retract is null): the promoter doubles the bidder's maximum, as seen or one off. */
  double: 'seen' | 'stale' | null;
}

const amountArb: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 1, max: 50_000 }),
  fc.integer({ min: 1, max: MAX_AMOUNT }),
  fc.integer({ min: MAX_AMOUNT - 1_000_000, max: MAX_AMOUNT }),
);

/** Prices on and next to the increment table's bounds, where an off-by-one would show. */
const nearBoundArb = fc
  .tuple(
    fc.constantFrom(...INCREMENT_TABLE.flatMap((row) => (row.below === null ? [] : [row.below]))),
    fc.integer({ min: -1, max: 1 }),
  )
  .map(([bound, offset]) => bound + offset);

/** Mostly small offsets (the edges of each rule), sometimes large ones. */
const deltaArb = (min: number, max: number) => fc.oneof(fc.integer({ min: -2, max: 2 }), fc.integer({ min, max }));

const rulesArb: fc.Arbitrary<Omit<AuctionRules, 'sellerId'>> = fc.record({
  startingPrice: fc.oneof(fc.integer({ min: 1, max: 20_000 }), nearBoundArb, fc.integer({ min: 1, max: MAX_AMOUNT })),
  reservePrice: fc.option(amountArb),
  buyNowPrice: fc.option(amountArb),
  // A window longer than the auction, so most bids extend it, and extensions of every size around it.
  softCloseWindowMs: fc.constantFrom(0, 3_600_000),
  softCloseExtendMs: fc.integer({ min: 0, max: 1_200_000 }),
});

const stepArb: fc.Arbitrary<StepSpec> = fc.record({
  who: fc.oneof(fc.nat({ max: 5 }), fc.constant('leader' as const)),
  amount: fc.oneof(
    { weight: 4, arbitrary: fc.record({ type: fc.constant('aboveMinimum' as const), delta: deltaArb(-3, 5_000) }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('aboveLeaderMax' as const), delta: deltaArb(-5_000, 2_000) }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('absolute' as const), value: amountArb }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('buyNowPrice' as const) }) },
  ),
  buyNow: fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
  retract: fc.oneof(
    { weight: 8, arbitrary: fc.constant(null) },
    { weight: 2, arbitrary: fc.constant('retract' as const) },
    { weight: 1, arbitrary: fc.constant('void' as const) },
  ),
  double: fc.oneof(
    { weight: 8, arbitrary: fc.constant(null) },
    { weight: 2, arbitrary: fc.constant('seen' as const) },
    { weight: 1, arbitrary: fc.constant('stale' as const) },
  ),
}); // prettier-ignore

/** When the auction runs relative to Redis time: mostly open, sometimes not yet or no longer. */
const timingArb = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ startsInMs: -60_000, endsInMs: 600_000 }) },
  { weight: 1, arbitrary: fc.constant({ startsInMs: 600_000, endsInMs: 1_200_000 }) },
  { weight: 1, arbitrary: fc.constant({ startsInMs: -60_000, endsInMs: -1_000 }) },
  // Twelve hours or more left: a retraction takes all of a bidder's bids, not only the last.
  { weight: 3, arbitrary: fc.constant({ startsInMs: -60_000, endsInMs: 13 * 3_600_000 }) },
);

/** Turns a step into a concrete request against the model's current state (the model is deterministic). */
function requestFor(step: StepSpec, state: BiddingState, rules: AuctionRules, bidders: string[]): PlaceBidInput {
  const bidderId =
    step.who === 'leader' ? (state.leaderId ?? bidders[bidders.length - 1]!) : bidders[step.who % bidders.length]!;
  const spec = step.amount;
  const raw =
    spec.type === 'aboveMinimum'
      ? minimumNextBid(state, rules) + spec.delta
      : spec.type === 'aboveLeaderMax'
        ? (state.leaderMax ?? rules.startingPrice) + spec.delta
        : spec.type === 'absolute'
          ? spec.value
          : (rules.buyNowPrice ?? rules.startingPrice);
  const amount = Math.min(MAX_AMOUNT, Math.max(1, raw));
  return bid(bidderId, amount, { buyNow: spec.type === 'buyNowPrice' || step.buyNow });
}

/** The promotion every doubling in the property names (the script only carries it to the stream). */
const PROMOTION = randomUUID();

test('the scripts decide every bid, retraction and doubling exactly as the domain does, and keep the same state, book and history', async () => {
  await fc.assert(
    fc.asyncProperty(
      rulesArb,
      timingArb,
      fc.integer({ min: 1, max: 5 }),
      fc.array(stepArb, { minLength: 1, maxLength: 60, size: 'max' }),
      fc.integer({ min: 0, max: 5000 }),
      async (partialRules, timing, otherBidders, steps, buyersPremiumBps) => {
        const rules: AuctionRules = { sellerId: SELLER, ...partialRules };
        // The seller is one of the 2–6 bidders.
        const bidders = [SELLER, ...Array.from({ length: otherBidders }, () => randomUUID())];
        const auctionId = randomUUID();
        const now = await redisNowMs(redis);
        let state = initialState(rules, now + timing.startsInMs, now + timing.endsInMs);
        let book: BidderBook = emptyBook();
        await store.initAuction(auctionId, rules, state.startsAtMs, state.endsAtMs, { buyersPremiumBps });
        try {
          assert.deepEqual(await store.readState(auctionId), { state, rules });
          const expectedStream: StreamEntry[] = [];
          for (const step of steps) {
            const input = requestFor(step, state, rules, bidders);
            if (step.retract === null && step.double !== null) {
              const seen = book.bidders.get(input.bidderId)?.live?.max ?? 1;
              const expectedMax = step.double === 'seen' ? seen : seen + 1;
              const firingId = `firing-${expectedStream.length}-${randomUUID()}`;
              const result = await store.doubleMaximum(auctionId, {
                bidderId: input.bidderId,
                expectedMax,
                promotionId: PROMOTION,
                firingId,
              });
              assert.ok(result, 'the auction exists');
              const nowMs = result.accepted ? result.placedAtMs : await redisNowMs(redis);
              const model = decideDoubling(state, rules, book, { bidderId: input.bidderId, expectedMax, nowMs });
              if (!result.accepted) {
                assert.deepEqual(result, model.decision, `doubling ${JSON.stringify(step)}`);
              } else {
                const { placedAtMs, leaderAlias, wake, ...decision } = result;
                assert.deepEqual(decision, model.decision, `doubling ${JSON.stringify(step)}`);
                assert.equal(typeof wake, 'boolean');
                state = model.next;
                book = model.book;
                assert.equal(leaderAlias, leaderAliasOf(book, state));
                expectedStream.push({
                  type: 'doubling',
                  seq: result.seq,
                  bidderId: input.bidderId,
                  bidderAlias: result.alias,
                  fromMax: result.fromMax,
                  toMax: result.toMax,
                  amount: result.price,
                  leaderId: result.leaderId,
                  leaderAlias,
                  bidCount: result.bidCount,
                  placedAtMs,
                  endsAtMs: result.endsAtMs,
                  promotionId: PROMOTION,
                  firingId,
                });
                // The same firing again answers as the first did and changes nothing.
                const again = await store.doubleMaximum(auctionId, {
                  bidderId: input.bidderId,
                  expectedMax,
                  promotionId: PROMOTION,
                  firingId,
                });
                assert.deepEqual(again, { ...result, wake: false });
              }
            } else if (step.retract !== null) {
              const result = await store.retractBid(auctionId, {
                bidderId: input.bidderId,
                mode: step.retract,
                reason: 'wrong_amount',
                actorId: input.bidderId,
                requestId: 'req-1',
              });
              assert.ok(result, 'the auction exists');
              const nowMs = result.accepted ? result.placedAtMs : await redisNowMs(redis);
              const model = decideRetraction(state, rules, book, {
                bidderId: input.bidderId,
                mode: step.retract,
                nowMs,
              });
              if (!result.accepted) {
                // A refusal's time is not in its reply: only compare when the clock cannot matter.
                if (model.decision.accepted || model.decision.reason !== 'last_bid_too_old') {
                  assert.deepEqual(result, model.decision, `retraction ${JSON.stringify(step)}`);
                }
              } else {
                const { placedAtMs, leaderAlias, ...decision } = result;
                // The wake flag is the persist cycle's business (tested below), not the model's.
                assert.deepEqual(
                  decision,
                  { ...model.decision, wake: decision.wake },
                  `retraction ${JSON.stringify(step)}`,
                );
                state = model.next;
                book = model.book;
                assert.equal(leaderAlias, leaderAliasOf(book, state));
                expectedStream.push({
                  type: 'retraction',
                  seq: result.seq,
                  bidderId: input.bidderId,
                  bidderAlias: result.alias,
                  scope: result.scope,
                  mode: step.retract,
                  lastSeq: result.lastSeq,
                  amount: result.price,
                  leaderId: result.leaderId,
                  leaderAlias,
                  bidCount: result.bidCount,
                  placedAtMs,
                  endsAtMs: result.endsAtMs,
                  reason: 'wrong_amount',
                  actorId: input.bidderId,
                  requestId: 'req-1',
                });
              }
            } else {
              const result = await place(auctionId, input);
              const {
                placedAtMs,
                wake,
                replayed,
                buyersPremiumBps: premium,
                leaderAlias,
                bidderAlias,
                ...decision
              } = result;
              assert.equal(replayed, false);
              assert.equal(premium, buyersPremiumBps, 'every answer repeats the premium, refusals too');
              if (!decision.accepted) assert.equal(wake, false, 'a rejection never sets the wake flag');
              const model = decideBid(state, rules, { ...input, nowMs: placedAtMs });
              assert.deepEqual(decision, model.decision, `request ${JSON.stringify(input)}`);
              state = model.next;
              if (decision.accepted) {
                const recorded = withAcceptedBid(book, input.bidderId, {
                  max: input.amount,
                  seq: decision.seq,
                  placedAtMs,
                });
                book = recorded.book;
                assert.equal(bidderAlias, recorded.entry.alias);
                expectedStream.push({
                  type: 'bid',
                  seq: decision.seq,
                  bidderId: input.bidderId,
                  amount: decision.price,
                  maxAmount: input.amount,
                  kind: decision.kind,
                  placedAtMs,
                  endsAtMs: decision.endsAtMs,
                  leaderId: decision.leaderId!,
                  bidCount: decision.bidCount,
                  bidderAlias: recorded.entry.alias,
                  leaderAlias: leaderAliasOf(book, state),
                  traceparent: null,
                });
              }
              assert.equal(leaderAlias, leaderAliasOf(book, state));
            }
            assert.deepEqual(await store.readState(auctionId), { state, rules });
            assert.deepEqual(await store.readBook(auctionId), book);
          }
          const stream = await store.readBids(auctionId, 0, 1_000);
          assert.deepEqual(stream, expectedStream);
          assert.deepEqual(
            stream.map((entry) => entry.seq),
            Array.from({ length: stream.length }, (_, i) => i + 1),
          );
        } finally {
          await store.discardAuction(auctionId);
        }
      },
    ),
    { numRuns: 100 },
  );
});

// ---- the parts around the decision ----

describe('idempotency', () => {
  test('the same key answers the same, replayed, without a second bid; another key is a new bid', async () => {
    const auctionId = await openAuction();
    const first = await place(auctionId, bid('a', 5_000, { idempotencyKey: 'key-1' }));
    const again = await place(auctionId, bid('a', 5_000, { idempotencyKey: 'key-1' }));
    assert.equal(first.replayed, false);
    assert.equal(first.wake, true);
    assert.deepEqual(again, { ...first, replayed: true, wake: false });
    assert.equal((await store.readBids(auctionId, 0, 10)).length, 1);
    assert.equal((await store.readState(auctionId))?.state.seq, 1);

    const other = await place(auctionId, bid('a', 6_000, { idempotencyKey: 'key-2' }));
    assert.deepEqual([other.accepted, other.replayed, other.accepted && other.seq], [true, false, 2]);
    const ttl = await redis.pttl(auctionKeys(auctionId).idempotency('a', 'key-1'));
    assert.ok(ttl > 86_000_000 && ttl <= 86_400_000, `ttl ${ttl}`);
  });

  test('a rejection is stored too: the retry of a refused attempt is refused the same way', async () => {
    const auctionId = await openAuction();
    const refused = await place(auctionId, bid('a', 10, { idempotencyKey: 'low' }));
    assert.equal(refused.accepted ? null : refused.code, 'BID_TOO_LOW');
    const retried = await place(auctionId, bid('a', 5_000, { idempotencyKey: 'low' }));
    assert.deepEqual(retried, { ...refused, replayed: true });
    assert.equal((await store.readState(auctionId))?.state.bidCount, 0);
  });

  test('keys belong to one bidder: the same key from another bidder is another attempt', async () => {
    const auctionId = await openAuction();
    await place(auctionId, bid('a', 5_000, { idempotencyKey: 'shared' }));
    const fromB = await place(auctionId, bid('b', 7_000, { idempotencyKey: 'shared' }));
    assert.deepEqual([fromB.replayed, fromB.leaderId], [false, 'b']);
  });
});

describe('the wake flag', () => {
  test('set by the first accepted bid only, never by a rejection, and again after clearWake', async () => {
    const auctionId = await openAuction();
    const { wake: wakeKey } = auctionKeys(auctionId);
    const rejected = await place(auctionId, bid('a', 1));
    assert.deepEqual([rejected.accepted, rejected.wake, await redis.exists(wakeKey)], [false, false, 0]);
    assert.equal((await place(auctionId, bid('a', 5_000))).wake, true);
    const ttl = await redis.pttl(wakeKey);
    assert.ok(ttl > 0 && ttl <= 2_000, `ttl ${ttl}`);
    assert.equal((await place(auctionId, bid('b', 6_000))).wake, false);
    await store.clearWake(auctionId);
    assert.equal((await place(auctionId, bid('c', 9_000))).wake, true);
  });
});

describe('the trace of a bid', () => {
  test('a traced bid keeps its traceparent on its stream entry; an untraced one has no such field', async () => {
    const auctionId = await openAuction();
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await place(auctionId, bid('traced', 1_000, { traceparent }));
    await place(auctionId, bid('untraced', 2_000));
    const [traced, untraced] = await store.readBids(auctionId, 0, 10);
    assert.equal(traced?.type === 'bid' && traced.traceparent, traceparent);
    assert.equal(untraced?.type === 'bid' && untraced.traceparent, null);
    const [, fields] = (await redis.xrange(auctionKeys(auctionId).bids, '2-0', '2-0'))[0]!;
    assert.ok(!fields.includes('traceparent'), 'nothing is stored for an untraced bid');
  });
});

describe('published events', () => {
  test('an accepted bid publishes the public state; a rejection publishes nothing', async () => {
    const rules = rulesWith({ reservePrice: 4_000, softCloseWindowMs: 3_600_000, softCloseExtendMs: 1_200_000 });
    const auctionId = await openAuction(rules);
    const events = await listen(auctionKeys(auctionId).events);
    try {
      await place(auctionId, bid('a', 1));
      const accepted = await place(auctionId, bid('a', 5_000));
      assert.ok(accepted.accepted);
      assert.deepEqual(await events.received(1), [
        {
          type: 'bid',
          seq: 1,
          price: 4_000,
          leaderAlias: 1,
          minimumNextBid: 4_100,
          endsAtMs: accepted.endsAtMs,
          bidCount: 1,
          reserveMet: true,
          extended: true,
          placedAtMs: accepted.placedAtMs,
          status: 'open',
        },
      ]);
    } finally {
      await events.close();
    }
  });
});

describe('closeBidding', () => {
  test('before the end answers open with the real end, soft close included', async () => {
    const rules = rulesWith({ softCloseWindowMs: 3_600_000, softCloseExtendMs: 1_800_000 });
    const auctionId = await openAuction(rules);
    const accepted = await place(auctionId, bid('a', 5_000));
    assert.ok(accepted.accepted && accepted.extended);
    assert.deepEqual(await store.closeBidding(auctionId), { state: 'open', endsAtMs: accepted.endsAtMs });
    assert.equal((await store.readState(auctionId))?.state.status, 'open');
  });

  test('a started auction nobody bid on reads as open after a close that found it early', async () => {
    const auctionId = await openAuction();
    assert.equal((await store.readState(auctionId))?.state.status, 'scheduled');
    assert.equal((await store.closeBidding(auctionId)).state, 'open');
    assert.equal((await store.readState(auctionId))?.state.status, 'open');
  });

  test('at the end closes with the final figures, the same every time, and no bid gets in after', async () => {
    const auctionId = await openAuction(rulesWith({ reservePrice: 20_000 }), 300);
    await place(auctionId, bid('a', 5_000));
    const second = await place(auctionId, bid('b', 7_000));
    await new Promise((resolve) => setTimeout(resolve, 350));
    const closed = await store.closeBidding(auctionId);
    assert.deepEqual(closed, {
      state: 'closed',
      seq: 2,
      price: 5_100,
      leaderId: 'b',
      leaderMax: 7_000,
      bidCount: 2,
      reserveMet: false,
      endsAtMs: second.endsAtMs,
    });
    assert.deepEqual(await store.closeBidding(auctionId), closed);
    assert.equal((await store.readState(auctionId))?.state.status, 'closed');
    const late = await place(auctionId, bid('c', 90_000));
    assert.equal(late.accepted ? null : late.code, 'AUCTION_NOT_OPEN');
  });

  test('answers cancelled for a cancelled auction and missing for an unknown one', async () => {
    const auctionId = await openAuction();
    await store.cancelAuction(auctionId);
    assert.deepEqual(await store.closeBidding(auctionId), { state: 'cancelled' });
    assert.deepEqual(await store.closeBidding(randomUUID()), { state: 'missing' });
  });

  test('after a buy-now the auction is closed at once', async () => {
    const auctionId = await openAuction(rulesWith({ buyNowPrice: 30_000 }));
    const bought = await place(auctionId, bid('a', 30_000, { buyNow: true }));
    const closed = await store.closeBidding(auctionId);
    assert.deepEqual(closed, {
      state: 'closed',
      seq: 1,
      price: 30_000,
      leaderId: 'a',
      leaderMax: 30_000,
      bidCount: 1,
      reserveMet: true,
      endsAtMs: bought.placedAtMs,
    });
  });
});

describe('cancelAuction', () => {
  test('stops all bidding, tells watchers once, and is idempotent', async () => {
    const auctionId = await openAuction();
    await place(auctionId, bid('a', 5_000));
    const events = await listen(auctionKeys(auctionId).events);
    try {
      assert.equal(await store.cancelAuction(auctionId), 'cancelled');
      assert.equal(await store.cancelAuction(auctionId), 'already_cancelled');
      const after = await place(auctionId, bid('b', 90_000));
      assert.deepEqual([after.accepted ? null : after.code, after.status], ['AUCTION_NOT_OPEN', 'cancelled']);
      assert.deepEqual(await events.received(1), [{ type: 'cancelled' }]);
    } finally {
      await events.close();
    }
  });

  test('a closed auction stays closed, also one whose end has passed before anyone closed it', async () => {
    const closedOne = await openAuction(rulesWith(), 50);
    const endedOne = await openAuction(rulesWith(), 50);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal((await store.closeBidding(closedOne)).state, 'closed');
    assert.equal(await store.cancelAuction(closedOne), 'already_closed');
    assert.equal(await store.cancelAuction(endedOne), 'already_closed');
    assert.equal((await store.closeBidding(endedOne)).state, 'closed');
    assert.equal(await store.cancelAuction(randomUUID()), 'missing');
  });

  test('when asked to cancel only without bids, then an auction with a bid goes on and one without is cancelled', async () => {
    const bidOn = await openAuction();
    const untouched = await openAuction();
    await place(bidOn, bid('a', 5_000));
    assert.equal(await store.cancelAuction(bidOn, { onlyWithoutBids: true }), 'has_bids');
    assert.equal((await place(bidOn, bid('b', 90_000))).accepted, true, 'the auction with a bid still takes bids');
    assert.equal(await store.cancelAuction(untouched, { onlyWithoutBids: true }), 'cancelled');
    assert.equal((await store.readState(untouched))?.state.status, 'cancelled');
  });

  test('a closed status is final even if the clock disagrees (a Redis restored from elsewhere)', async () => {
    const auctionId = await openAuction();
    await redis.hset(auctionKeys(auctionId).state, 'status', 'closed');
    assert.equal(await store.cancelAuction(auctionId), 'already_closed');
    assert.equal((await store.readState(auctionId))?.state.status, 'closed');
  });
});

describe('the store', () => {
  test('initAuction a second time leaves the existing state untouched', async () => {
    const rules = rulesWith();
    const auctionId = await openAuction(rules);
    await place(auctionId, bid('a', 5_000));
    const before = await store.readState(auctionId);
    await store.initAuction(auctionId, rulesWith({ startingPrice: 1, sellerId: 'someone-else' }), 0, 1, {
      buyersPremiumBps: 900,
    });
    assert.deepEqual(await store.readState(auctionId), before);
    assert.deepEqual(before?.rules, rules);
  });

  test('the premium set at creation comes back with every answer; an auction from before terms answers 0', async () => {
    const auctionId = await openAuction(rulesWith(), 600_000, { buyersPremiumBps: 1250 });
    const accepted = await place(auctionId, bid('a', 5_000, { idempotencyKey: 'k' }));
    const replayed = await place(auctionId, bid('a', 5_000, { idempotencyKey: 'k' }));
    const refused = await place(auctionId, bid('b', 1));
    assert.deepEqual(
      [accepted.buyersPremiumBps, replayed.buyersPremiumBps, refused.buyersPremiumBps],
      [1250, 1250, 1250],
    );
    // The hash of an auction made before settlement terms existed has no such field (its row says 0).
    await redis.hdel(auctionKeys(auctionId).state, 'buyersPremiumBps');
    assert.equal((await place(auctionId, bid('b', 9_000))).buyersPremiumBps, 0);
    // Nor does a reply stored before the field existed: its retry still parses, as 0.
    const key = auctionKeys(auctionId).idempotency('a', 'k');
    const stored = JSON.parse((await redis.get(key))!) as string[];
    const at = stored.indexOf('buyersPremiumBps');
    assert.ok(at > 0);
    stored.splice(at, 2);
    await redis.set(key, JSON.stringify(stored), 'KEEPTTL');
    const old = await place(auctionId, bid('a', 5_000, { idempotencyKey: 'k' }));
    assert.deepEqual(old, { ...accepted, replayed: true, wake: false, buyersPremiumBps: 0 });
  });

  test('readBids pages after a seq and trimBids drops what is persisted', async () => {
    const auctionId = await openAuction();
    for (const [i, amount] of [2_000, 3_000, 4_000, 5_000, 6_000].entries()) {
      await place(auctionId, bid(`bidder${i}`, amount));
    }
    assert.deepEqual(
      (await store.readBids(auctionId, 2, 2)).map((entry) => entry.seq),
      [3, 4],
    );
    await store.trimBids(auctionId, 3);
    assert.deepEqual(
      (await store.readBids(auctionId, 0, 100)).map((entry) => entry.seq),
      [4, 5],
    );
    assert.deepEqual(await store.readBids(auctionId, 5, 100), []);
  });

  test('an unknown auction: no state, no decision', async () => {
    const auctionId = randomUUID();
    assert.equal(await store.placeBid(auctionId, bid('a', 5_000)), null);
    assert.equal(await store.readState(auctionId), null);
  });

  test('refuses ids and keys that could name other keys, and amounts it could not keep exact', async () => {
    const auctionId = await openAuction();
    await assert.rejects(store.placeBid('x}:other', bid('a', 5_000)), TypeError);
    await assert.rejects(store.readState('*'), TypeError);
    for (const idempotencyKey of ['', 'a:b', 'a b', '{x}', 'k'.repeat(129)]) {
      await assert.rejects(store.placeBid(auctionId, bid('a', 5_000, { idempotencyKey })), TypeError);
    }
    // A bidder id is part of the idempotency key's name, too.
    for (const bidderId of ['', 'a:b', '{x}', 'a b', 'b'.repeat(65)]) {
      await assert.rejects(store.placeBid(auctionId, bid(bidderId, 5_000, { idempotencyKey: 'k' })), TypeError);
    }
    for (const amount of [0, -5, 1.5, MAX_AMOUNT + 1]) {
      await assert.rejects(store.placeBid(auctionId, bid('a', amount)), TypeError);
    }
    assert.equal((await store.readState(auctionId))?.state.seq, 0);
  });

  test('discardAuction removes the state and the history', async () => {
    const auctionId = await openAuction();
    await place(auctionId, bid('a', 5_000));
    await store.discardAuction(auctionId);
    assert.equal(await store.readState(auctionId), null);
    assert.deepEqual(await store.readBids(auctionId, 0, 10), []);
  });
});

describe('precision', () => {
  test('amounts up to MAX_AMOUNT survive exactly in replies, the hash, the stream and the events', async () => {
    const rules = rulesWith({ startingPrice: MAX_AMOUNT - 20_000, reservePrice: MAX_AMOUNT - 15_000 });
    const auctionId = await openAuction(rules);
    const events = await listen(auctionKeys(auctionId).events);
    try {
      await place(auctionId, bid('a', MAX_AMOUNT - 10_001));
      const top = await place(auctionId, bid('b', MAX_AMOUNT));
      assert.ok(top.accepted);
      assert.deepEqual([top.price, top.minimumNextBid, top.leaderId], [MAX_AMOUNT - 1, MAX_AMOUNT + 9_999, 'b']);
      const live = await store.readState(auctionId);
      assert.deepEqual([live?.state.price, live?.state.leaderMax, live?.rules], [MAX_AMOUNT - 1, MAX_AMOUNT, rules]);
      const stream = await store.readBids(auctionId, 0, 10);
      assert.deepEqual(
        stream.map((entry) => [entry.amount, entry.type === 'bid' ? entry.maxAmount : null]),
        [
          [MAX_AMOUNT - 15_000, MAX_AMOUNT - 10_001],
          [MAX_AMOUNT - 1, MAX_AMOUNT],
        ],
      );
      const published = (await events.received(2)) as { price: number; minimumNextBid: number }[];
      assert.deepEqual(
        published.map((event) => [event.price, event.minimumNextBid]),
        [
          [MAX_AMOUNT - 15_000, MAX_AMOUNT - 5_000],
          [MAX_AMOUNT - 1, MAX_AMOUNT + 9_999],
        ],
      );
      const closedSoon = await openAuction(rulesWith({ buyNowPrice: MAX_AMOUNT }));
      const bought = await place(closedSoon, bid('c', MAX_AMOUNT, { buyNow: true }));
      assert.deepEqual([bought.price, bought.status], [MAX_AMOUNT, 'closed']);
      const closed = await store.closeBidding(closedSoon);
      assert.ok(closed.state === 'closed');
      assert.deepEqual([closed.price, closed.leaderMax], [MAX_AMOUNT, MAX_AMOUNT]);
    } finally {
      await events.close();
    }
  });
});

describe('retractions on Redis time', () => {
  const retraction = (bidderId: string) => ({
    bidderId,
    mode: 'retract' as const,
    reason: 'wrong_amount',
    actorId: bidderId,
    requestId: 'req-1',
  });

  test('with less than 12 hours left, a last bid placed over an hour ago is not taken back', async () => {
    const auctionId = await openAuction();
    await place(auctionId, bid('a', 5_000));
    const book = auctionKeys(auctionId).bidders;
    // The entry's sixth field is when the live maximum was bid (lua/bidder-book.lua): an hour and a moment ago.
    const fields = (await redis.hget(book, 'a'))!.split(':');
    fields[5] = String(Number(fields[5]) - 3_600_001);
    await redis.hset(book, 'a', fields.join(':'));
    assert.deepEqual(await store.retractBid(auctionId, retraction('a')), {
      accepted: false,
      reason: 'last_bid_too_old',
    });
    assert.equal((await store.readState(auctionId))?.state.seq, 1, 'nothing changed');
  });

  test('an auction that took bids before bidder books existed numbers new bidders after its bid count and refuses retractions', async () => {
    const auctionId = await openAuction();
    // A hash as the bid script left it before books: no aliasCount, three bids by bidders it never recorded.
    const state = auctionKeys(auctionId).state;
    await redis.hdel(state, 'aliasCount', 'leaderAlias');
    await redis.hset(state, 'seq', '3', 'bidCount', '3', 'price', '1200', 'leaderId', 'old', 'leaderMax', '1500');
    const placed = await place(auctionId, bid('new', 5_000));
    assert.deepEqual([placed.accepted, placed.bidderAlias, placed.leaderAlias], [true, 4, 4]);
    assert.deepEqual(await store.retractBid(auctionId, retraction('new')), {
      accepted: false,
      reason: 'auction_predates_book',
    });
    assert.equal(await store.retractBid(randomUUID(), retraction('new')), null, 'an unknown auction');
  });
});
