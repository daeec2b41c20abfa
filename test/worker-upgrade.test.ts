/**
 * A worker upgraded under running auctions, as a deploy does it. Auctions start on the workflow code
 * of the release before settlement (its bundle: test/fixtures/workflow-bundles/pre-settlement.js, made
 * by scripts/bundle-released-workflows.ts) with today's activities; that worker is stopped with SIGTERM
 * and one of today's code started. Today's code must replay what the old one recorded without a
 * nondeterminism error: an auction still open closes on the new path (patched('settle-sold'): the
 * winner's order and its settlement, paid through Stripe), and one that closed on the old code stays as
 * it closed, with no order and no settlement.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { WorkflowNotFoundError } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { presentResult } from '../api/auctions/presenter.js';
import { auctions, bids } from '../db/schema.js';
import { orders, payouts } from '../db/settlement-schema.js';
import type { SettlementState } from '../domain/settlement/workflow.js';
import { auctionWorkflowId, settlementWorkflowId } from '../domain/temporal-names.js';
import type { auctionWorkflow } from '../workflows/auction.js';
import { stateQuery } from '../workflows/definitions.js';
import { startTestApi } from './helpers/api.js';
import {
  assertHistoryHoldsEveryAcknowledgedBid,
  bidHistory,
  bidWar,
  expectedResult,
  withoutAlias,
  withoutOrder,
  type AcknowledgedBid,
} from './helpers/bidding.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson, type BidJson } from './helpers/http.js';
import { orderAs, phaseOf, until } from './helpers/settlement.js';
import { deliverEvent, paidCheckoutSession } from './helpers/stripe.js';
import { waitForPollers } from './helpers/task-queue.js';
import { historyFacts, throwIfATaskFailed, unlessATaskFails, workersInOrder } from './helpers/workflow-history.js';
import { spawnWorker, stopWorker, workerEnvFor, type WorkerProcess } from './helpers/worker-process.js';

/** The workflow code as released before settlement: its announce() makes no order. */
const RELEASED_BUNDLE = fileURLToPath(new URL('fixtures/workflow-bundles/pre-settlement.js', import.meta.url));
/** The old worker's grace to drain on SIGTERM: short, so the upgrade takes seconds. */
const GRACE_MS = 3000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let database: TestDatabase;
const teardowns: (() => Promise<void>)[] = [];
before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  for (const teardown of teardowns.reverse()) await teardown();
  await database.drop();
});

/** A deployment of its own per test (task queue, API): one test's workers never run the other's workflows. */
async function deployment() {
  const taskQueue = `upgrade-${randomUUID()}`;
  const api = await startTestApi({ DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: taskQueue });
  const workers: WorkerProcess[] = [];
  teardowns.push(async () => {
    for (const worker of workers) worker.process.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.exited));
    await api.close();
  });
  const startWorker = async (bundle: string) => {
    const worker = spawnWorker({
      ...workerEnvFor(database.url, taskQueue),
      WORKFLOW_BUNDLE_PATH: bundle,
      SHUTDOWN_TIMEOUT_MS: String(GRACE_MS),
    });
    workers.push(worker);
    await waitForPollers(api.deps.temporal, taskQueue, [worker.process]);
    return worker;
  };
  return {
    api,
    client: api.deps.temporal,
    startReleasedWorker: () => startWorker(RELEASED_BUNDLE),
    // Unset (an empty value), so the worker bundles today's workflows/ at start.
    startCurrentWorker: () => startWorker(''),
  };
}

const persistedBids = async (auctionId: string) =>
  (await database.db.select({ seq: bids.seq }).from(bids).where(eq(bids.auctionId, auctionId))).length;

const auctionRow = async (auctionId: string) =>
  (await database.db.select().from(auctions).where(eq(auctions.id, auctionId)))[0]!;

test('when the worker is upgraded mid-auction, then today’s code replays the old history, closes with an order, and the order is paid', async (t) => {
  const { api, client, startReleasedWorker, startCurrentWorker } = await deployment();
  const old = await startReleasedWorker();
  const seller = await signUp(api.url, 'seller');
  const bidders = await Promise.all(['ann', 'ben'].map((name) => signUp(api.url, name)));
  const rules = { startingPrice: 100, reservePrice: null };
  const created = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: {
      title: 'Sold across a deploy',
      startingPrice: rules.startingPrice,
      endsAt: new Date(Date.now() + 4000).toISOString(),
      // Bids keep it open for as long as the upgrade takes; when they stop, it closes 3 s later.
      softClose: { windowSeconds: 3, extendSeconds: 3 },
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const auctionId = created.body.id;
  const handle = client.workflow.getHandle<typeof auctionWorkflow>(auctionWorkflowId(auctionId));

  const acknowledged: AcknowledgedBid[] = [];
  let stopBiddingAt = Infinity;
  const war = bidWar({
    auctionId,
    bidders: bidders.map((bidder) => ({ ...bidder, url: api.url })),
    startingPrice: rules.startingPrice,
    keepGoing: () => Date.now() < stopBiddingAt,
    acknowledged,
    // A few bids a second: enough to hold the soft close through the upgrade, few enough to stay light.
    pauseMs: 300,
  });

  // The released code runs the open auction, then its worker is stopped as a deploy stops it; today's
  // code takes the auction over while it is open: it replays the old history, then persists on.
  let persistedByOld = 0;
  let current: WorkerProcess | undefined;
  try {
    await until('the released code persisting bids', async () =>
      (await persistedBids(auctionId)) >= 10 ? 1 : undefined,
    );
    const stoppedAt = Date.now();
    assert.equal(await stopWorker(old, 4 * GRACE_MS), 0, 'the old worker drains and exits 0');
    persistedByOld = await persistedBids(auctionId);
    current = await startCurrentWorker();
    t.diagnostic(`today’s worker polling ${Date.now() - stoppedAt} ms after the old one was stopped`);
    await until(
      'today’s code persisting bids',
      async () => {
        await throwIfATaskFailed(client, handle.workflowId); // a replay that fails never persists: say why
        return (await persistedBids(auctionId)) > persistedByOld ? 1 : undefined;
      },
      60_000,
    );
    assert.equal((await auctionRow(auctionId)).status, 'open', 'the auction is still open after the upgrade');
  } finally {
    // A little more on today's code alone, then the bids stop and the soft close ends the auction.
    stopBiddingAt = Date.now() + 1000;
    await war;
  }

  // It closes with the formula's result, and, closed on today's code, with the winner's order.
  const final = await unlessATaskFails(client, handle.workflowId, handle.result());
  assert.equal(final.status, 'closed');
  const history = await bidHistory(api.url, auctionId, seller.token);
  assertHistoryHoldsEveryAcknowledgedBid(history, acknowledged);
  const result = final.result!;
  assert.equal(result.outcome, 'sold');
  assert.deepEqual(withoutOrder(result), expectedResult(acknowledged, history, rules));
  assert.match(String(result.orderId), UUID, 'a sale closed on today’s code has its order');
  const shown = await call<AuctionJson>(`${api.url}/v1/auctions/${auctionId}`, { token: seller.token });
  assert.deepEqual(shown.body.result, presentResult(result, shown.body.result?.winnerAlias ?? null));
  t.diagnostic(`${acknowledged.length} bids, ${persistedByOld} persisted by the released code`);

  const made = await database.db.select().from(orders).where(eq(orders.auctionId, auctionId));
  assert.equal(made.length, 1, 'exactly one order');
  const order = made[0]!;
  assert.deepEqual(
    {
      id: order.id,
      kind: order.kind,
      buyerId: order.buyerId,
      sellerId: order.sellerId,
      hammer: order.hammerPrice,
      status: order.status,
    },
    {
      id: result.orderId,
      kind: 'auction',
      buyerId: result.winnerId,
      sellerId: seller.id,
      hammer: result.finalPrice,
      status: 'awaiting_payment',
    },
  );

  // The settlement runs (today's code started it); the winner pays through Checkout, Stripe's webhook says so.
  await until('the settlement', async () =>
    (await phaseOf(client, auctionId)) === 'awaiting_payment' ? 1 : undefined,
  );
  const winner = bidders.find((bidder) => bidder.id === result.winnerId)!;
  const checkout = await call<{ sessionId: string }>(`${api.url}/v1/orders/${order.id}/checkout`, {
    method: 'POST',
    token: winner.token,
  });
  assert.equal(checkout.status, 201, JSON.stringify(checkout.body));
  const payable = await orderAs(api.url, winner, order.id);
  const delivered = await deliverEvent(api.url, paidCheckoutSession(payable, { id: checkout.body.sessionId }));
  assert.deepEqual(delivered, { status: 200, body: { outcome: 'paid' } });
  const settled = (await client.workflow.getHandle(settlementWorkflowId(auctionId)).result()) as SettlementState;
  assert.equal(settled.phase, 'paid');
  assert.equal((await orderAs(api.url, winner, order.id)).status, 'paid');
  const owed = await database.db.select().from(payouts).where(eq(payouts.orderId, order.id));
  assert.deepEqual(
    owed.map((payout) => ({ sellerId: payout.sellerId, status: payout.status })),
    [{ sellerId: seller.id, status: 'pending' }],
  );

  // The history shows the hand-over: the old code's tasks, then today's, none failed (no nondeterminism);
  // the old code took notify-audiences, today's took settle-sold at the close and started the settlement.
  const facts = await historyFacts(client, auctionWorkflowId(auctionId));
  assert.deepEqual(facts.failedTasks, [], 'no workflow task failed');
  assert.deepEqual(workersInOrder(facts), [old.process.pid, current.process.pid]);
  const handover = facts.tasks.find((task) => task.pid === current.process.pid)!.eventId;
  const patchAt = (id: string) => facts.patches.find((patch) => patch.id === id)?.eventId ?? NaN;
  assert.ok(patchAt('notify-audiences') < handover, 'the released code took notify-audiences');
  assert.ok(patchAt('settle-sold') > handover, 'today’s code took settle-sold');
  const opened = facts.activities.filter((activity) => activity.name === 'openAuctionOrder');
  assert.equal(opened.length, 1);
  assert.ok(opened[0]!.eventId > handover);
  assert.deepEqual(
    facts.children.map((child) => child.workflowType),
    ['settlementWorkflow'],
  );
  const settlementFacts = await historyFacts(client, settlementWorkflowId(auctionId));
  assert.deepEqual(settlementFacts.failedTasks, []);
  assert.deepEqual(workersInOrder(settlementFacts), [current.process.pid]);
});

test('when an auction closed on the released code, then today’s code replays it as it closed: no order, no settlement', async () => {
  const { api, client, startReleasedWorker, startCurrentWorker } = await deployment();
  const old = await startReleasedWorker();
  const seller = await signUp(api.url, 'seller');
  const ann = await signUp(api.url, 'ann');
  const ben = await signUp(api.url, 'ben');
  const rules = { startingPrice: 1000, reservePrice: null };
  const created = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: {
      title: 'Sold before the deploy',
      startingPrice: rules.startingPrice,
      endsAt: new Date(Date.now() + 2500).toISOString(),
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const auctionId = created.body.id;
  const acknowledged: AcknowledgedBid[] = [];
  for (const [bidder, max] of [
    [ben, 3000],
    [ann, 5000],
  ] as const) {
    const placed = await call<BidJson>(`${api.url}/v1/auctions/${auctionId}/bids`, {
      token: bidder.token,
      body: { amount: max },
    });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    acknowledged.push({ seq: placed.body.seq, bidderId: bidder.id, max });
  }

  // The released code closes it: sold, and (before settlement) without an order.
  const handle = client.workflow.getHandle<typeof auctionWorkflow>(auctionWorkflowId(auctionId));
  const final = await handle.result();
  assert.equal(final.status, 'closed');
  const history = await bidHistory(api.url, auctionId, seller.token);
  assert.deepEqual(final.result, expectedResult(acknowledged, history, rules));
  assert.equal(final.result?.winnerId, ann.id);
  assert.equal(await stopWorker(old, 4 * GRACE_MS), 0, 'the old worker drains and exits 0');
  await startCurrentWorker();

  // A query of a closed workflow replays its whole history on a worker: the only one left runs today's
  // code, where patched('settle-sold') is false for a history without its marker. A replay that tried
  // to open an order would fail the query with a nondeterminism error.
  const replayed = await handle.query(stateQuery);
  assert.deepEqual(replayed, final);

  assert.equal((await auctionRow(auctionId)).orderId, null);
  assert.deepEqual(await database.db.select().from(orders).where(eq(orders.auctionId, auctionId)), []);
  await assert.rejects(client.workflow.getHandle(settlementWorkflowId(auctionId)).describe(), WorkflowNotFoundError);
  const shown = await call<AuctionJson>(`${api.url}/v1/auctions/${auctionId}`, { token: seller.token });
  assert.deepEqual(withoutAlias(shown.body.result!), { ...final.result, orderId: null });

  const facts = await historyFacts(client, auctionWorkflowId(auctionId));
  assert.deepEqual(facts.failedTasks, []);
  assert.deepEqual(workersInOrder(facts), [old.process.pid], 'the history is all the released code’s');
  assert.deepEqual(
    facts.patches.map((patch) => patch.id),
    ['notify-audiences'],
  );
  assert.ok(!facts.activities.some((activity) => activity.name === 'openAuctionOrder'));
  assert.deepEqual(facts.children, []);
});
