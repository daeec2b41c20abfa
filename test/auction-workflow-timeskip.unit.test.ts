/**
 * The auction workflow (workflows/auction.ts) on Temporal's time-skipping test server, with fake
 * activities: auctions days long run in a fraction of a second, and every activity call is recorded
 * with the server's (skipped) time, so the tests check *when* the workflow acted, not only what it did.
 * No services: the JVM test server only (helpers/time-skipping.ts; `npm run setup` installs it).
 *
 * While an auction is open the workflow persists every 10 s of workflow time (PERIODIC_PERSIST_MS),
 * a workflow task each, which time skipping does not make free (~20 ms each here): the tests keep the
 * open phase to minutes and put the days before the start.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { AuctionWorkflowInput } from '../domain/auction-workflow.js';
import { auctionWorkflowId, settlementWorkflowId } from '../domain/temporal-names.js';
import { auctionWorkflow } from '../workflows/auction.js';
import { bidsPendingSignal, cancelSignal, stateQuery } from '../workflows/definitions.js';
import { FakeActivities, type AuctionCall } from './helpers/fake-auction.js';
import {
  serverClock,
  startFakeWorker,
  startTimeSkippingEnvironment,
  terminateWhenIdle,
  type FakeWorker,
} from './helpers/time-skipping.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

/** How late (server time) a call may come after its moment: the real milliseconds of a workflow task or two. */
const SLACK_MS = 2 * SECOND;
/** A test that hangs (time skipping stalled: helpers/time-skipping.ts, terminateWhenIdle) fails instead. */
const LIMIT = { timeout: 30 * SECOND };

let env: TestWorkflowEnvironment;
let fakes: FakeActivities;
let worker: FakeWorker;

before(async () => {
  env = await startTimeSkippingEnvironment();
  fakes = new FakeActivities({ now: serverClock() });
  worker = await startFakeWorker(env, fakes.activities);
});
after(async () => {
  await worker?.stop();
  await env?.teardown();
});

/** The auctions the running test started. */
const started: string[] = [];

// Whatever a test leaves running (a failed test's auction, a sold one's settlement, which would run on
// for days of skipped time and end after its parent: that stalls the server's clock) ends with it.
afterEach(async () => {
  for (const auctionId of started.splice(0)) {
    for (const workflowId of [auctionWorkflowId(auctionId), settlementWorkflowId(auctionId)]) {
      await terminateWhenIdle(env.client.workflow.getHandle(workflowId), 'test over');
    }
  }
});

/** An auction in the fake Redis and its workflow, `startIn` and `endIn` from the server's now. */
async function startAuction(startInMs: number, endInMs: number) {
  const nowMs = await env.currentTimeMs();
  const auction = fakes.add({ startsAtMs: nowMs + startInMs, endsAtMs: nowMs + endInMs });
  started.push(auction.id);
  const input: AuctionWorkflowInput = {
    auctionId: auction.id,
    sellerId: auction.sellerId,
    startsAt: new Date(auction.startsAtMs).toISOString(),
    endsAt: new Date(auction.endsAtMs).toISOString(),
  };
  const handle = await env.client.workflow.start(auctionWorkflow, {
    workflowId: auctionWorkflowId(auction.id),
    taskQueue: worker.taskQueue,
    args: [input],
  });
  return { auction, handle, startedAtMs: nowMs };
}

const callsNamed = (calls: AuctionCall[], name: AuctionCall['name']) => calls.filter((c) => c.name === name);

/** Asserts that `call` came at `moment` of the server's clock, or up to SLACK_MS after it: never before. */
function assertAt(call: AuctionCall | undefined, moment: number, what: string): void {
  assert.ok(call, `${what}: no such call`);
  const late = call.atMs - moment;
  assert.ok(
    late >= 0 && late <= SLACK_MS,
    `${what}: at ${new Date(call.atMs).toISOString()}, ${late} ms from its moment`,
  );
}

test(
  'when an auction is cancelled a day before its start, then it never opens and ends cancelled at once',
  LIMIT,
  async () => {
    const { auction, handle } = await startAuction(3 * DAY, 4 * DAY);
    await env.sleep(2 * DAY);
    assert.equal((await handle.query(stateQuery)).status, 'scheduled');
    const cancelledAtMs = await env.currentTimeMs();
    await handle.signal(cancelSignal, { reason: 'withdrawn by the seller' });
    const state = await handle.result();

    assert.equal(state.status, 'cancelled');
    assert.equal(state.cancelReason, 'withdrawn by the seller');
    assert.equal(state.result, null);
    assert.deepEqual(fakes.callNames(auction.id), [
      'cancelBidding',
      'persistBids:0',
      'recordAuctionStatus:cancelled',
      'notifyAuctionMoment:cancelled',
    ]);
    assert.equal(auction.status, 'cancelled');
    // At the cancel, not at the start it was waiting for.
    assertAt(callsNamed(auction.calls, 'cancelBidding')[0], cancelledAtMs, 'cancelBidding');
    assert.ok(auction.calls.every((c) => c.atMs < auction.startsAtMs));
  },
);

test(
  'when an auction ending in 2 days gets no bid, then it closes unsold at its end and records and publishes that once',
  LIMIT,
  async () => {
    const { auction, handle } = await startAuction(2 * DAY - MINUTE, 2 * DAY);
    const state = await handle.result();

    const result = { outcome: 'unsold', winnerId: null, finalPrice: null };
    assert.equal(state.status, 'closed');
    assert.deepEqual(state.result, result);
    const recorded = callsNamed(auction.calls, 'recordResult');
    assert.equal(recorded.length, 1, 'recordResult called other than once');
    assert.deepEqual(recorded[0]!.args, [{ auctionId: auction.id, result, endsAtMs: auction.endsAtMs, bidCount: 0 }]);
    const published = callsNamed(auction.calls, 'publishClosed');
    assert.equal(published.length, 1, 'publishClosed called other than once');
    assert.deepEqual(published[0]!.args, [auction.id, 0, result]);
    assertAt(callsNamed(auction.calls, 'closeBidding')[0], auction.endsAtMs, 'closeBidding');
    // No sale, so no order and no settlement.
    assert.ok(![...fakes.settlement.orders.values()].some((o) => o.auctionId === auction.id), 'an order was opened');
    await assert.rejects(env.client.workflow.getHandle(settlementWorkflowId(auction.id)).describe(), /not found/i);
  },
);

test(
  'when an auction ending in 3 days gets two bids, then it closes sold to the higher bid 3 days later by the server clock, in at most seconds of wall time',
  LIMIT,
  async (t) => {
    const wallStart = performance.now();
    // Open for its last 2 minutes: the 3 days go by before the start, one timer.
    const { auction, handle, startedAtMs } = await startAuction(3 * DAY - 2 * MINUTE, 3 * DAY);
    // The server's clock skips to 65 s after the start: the bids' signals land between two periodic
    // persist timers (every 10 s from the start), never on one (helpers/time-skipping.ts, "signals").
    await env.sleep(3 * DAY - MINUTE + 5 * SECOND);
    const [alice, bob] = [randomUUID(), randomUUID()];
    await handle.signal(bidsPendingSignal, fakes.bid(auction.id, 100, alice, await env.currentTimeMs()));
    await handle.signal(bidsPendingSignal, fakes.bid(auction.id, 150, bob, await env.currentTimeMs()));
    const state = await handle.result();
    const wallMs = performance.now() - wallStart;
    const serverMs = (await env.currentTimeMs()) - startedAtMs;

    const order = [...fakes.settlement.orders.values()].find((o) => o.auctionId === auction.id);
    assert.ok(order, 'no order opened for the winner');
    assert.equal(order.buyerId, bob);
    const result = { outcome: 'sold', winnerId: bob, finalPrice: 150, orderId: order.id };
    assert.equal(state.status, 'closed');
    assert.deepEqual(state.result, result);
    assert.equal(state.persistedSeq, 2);
    const recorded = callsNamed(auction.calls, 'recordResult');
    assert.equal(recorded.length, 1, 'recordResult called other than once');
    assert.deepEqual(recorded[0]!.args, [{ auctionId: auction.id, result, endsAtMs: auction.endsAtMs, bidCount: 2 }]);
    const published = callsNamed(auction.calls, 'publishClosed');
    assert.equal(published.length, 1, 'publishClosed called other than once');
    assert.deepEqual(published[0]!.args, [auction.id, 2, result]);
    // It opened at its start and closed at its end, by the server's clock.
    assertAt(
      auction.calls.find((c) => c.detail === 'open'),
      auction.startsAtMs,
      'recordAuctionStatus open',
    );
    assertAt(callsNamed(auction.calls, 'closeBidding')[0], auction.endsAtMs, 'closeBidding');
    assert.ok(serverMs >= 3 * DAY, `the server's clock moved ${serverMs} ms, not 3 days`);
    // The sale's settlement runs on (its payment window is days long); afterEach ends it.
    const settlement = env.client.workflow.getHandle(settlementWorkflowId(auction.id));
    assert.equal((await settlement.describe()).status.name, 'RUNNING');
    // 3 days in 3 s at most: about half a second here, on a warm worker (the first workflow a worker
    // runs takes ~0.5 s more, to load the bundle), with room for a loaded machine.
    assert.ok(wallMs < 3 * SECOND, `took ${Math.round(wallMs)} ms of wall time`);
    t.diagnostic(`3 days of auction in ${Math.round(wallMs)} ms of wall time`);
  },
);

test(
  'when an auction is open for its last 16 minutes, then it says "ending soon" at 15, 5 and 1 minutes before its end, and the longer lead times at the start',
  LIMIT,
  async () => {
    const { auction, handle } = await startAuction(DAY, DAY + 16 * MINUTE);
    const state = await handle.result();
    assert.deepEqual(state.result, { outcome: 'unsold', winnerId: null, finalPrice: null });

    const notified = callsNamed(auction.calls, 'notifyAuctionMoment');
    // The lead times already past at the start (the auction is shorter than they are) are said at once.
    assert.deepEqual(
      notified.map((c) => c.detail),
      [
        'started',
        'ending_soon:60',
        'ending_soon:180',
        'ending_soon:1440',
        'ending_soon:15',
        'ending_soon:5',
        'ending_soon:1',
        'closed',
      ],
    );
    const at = (detail: string) => notified.find((c) => c.detail === detail);
    for (const minutes of [60, 180, 1440]) assertAt(at(`ending_soon:${minutes}`), auction.startsAtMs, `${minutes} min`);
    for (const minutes of [15, 5, 1]) {
      assertAt(at(`ending_soon:${minutes}`), auction.endsAtMs - minutes * MINUTE, `${minutes} min`);
    }
    assertAt(at('closed'), auction.endsAtMs, 'closed');
    for (const call of notified.filter((c) => c.detail?.startsWith('ending_soon'))) {
      const [input] = call.args as [{ minutes: number; endsAt: string }];
      assert.equal(input.minutes, Number(call.detail!.split(':')[1]));
      assert.equal(input.endsAt, new Date(auction.endsAtMs).toISOString());
    }
    assert.deepEqual(state.endingSoonSaid, [60, 180, 1440, 15, 5, 1]);
  },
);
