/**
 * The sale workflow (workflows/sales/sale.ts) on Temporal's time-skipping test server, with fake
 * activities (helpers/fake-sale.ts, which keeps the sale's holds and orders in memory and decides on the
 * server's clock): a sale a day away opens at its start in a fraction of a second, and each activity
 * call and each hold's end is recorded with the server's (skipped) time, so the tests check *when* the
 * workflow acted: opened at startsAt, each hold ended within MIN_EXPIRY_RUN_GAP_MS of its expiry, closed
 * at endsAt. No services: the JVM test server only (helpers/time-skipping.ts).
 *
 * While a sale takes claims the workflow looks every 30 s of workflow time (SALE_PERIODIC_PERSIST_MS),
 * a workflow task each: the tests keep the open phase to minutes. A signal is sent at a moment that is
 * no timer's (helpers/time-skipping.ts, "signals"): a few seconds off the periodic look and the holds.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, test } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { MIN_EXPIRY_RUN_GAP_MS, SALE_HISTORY_EVENTS_BEFORE_CONTINUE } from '../domain/sales/holds.js';
import type { SaleWorkflowInput } from '../domain/sales/workflow.js';
import { saleWorkflowId } from '../domain/temporal-names.js';
import { saleStatusKey } from '../workflows/search-attributes.js';
import {
  cancelSaleSignal,
  claimsPendingSignal,
  saleOrderPaidSignal,
  saleStateQuery,
} from '../workflows/sales/definitions.js';
import { saleWorkflow } from '../workflows/sales/sale.js';
import { FakeActivities } from './helpers/fake-auction.js';
import type { FakeSale, FakeSaleState, SaleCall, SalePlan } from './helpers/fake-sale.js';
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
const SLACK_MS = 1000;
/** A test that hangs (time skipping stalled: helpers/time-skipping.ts, terminateWhenIdle) fails instead. */
const LIMIT = { timeout: 60 * SECOND };

let env: TestWorkflowEnvironment;
let fake: FakeSale;
let worker: FakeWorker;

before(async () => {
  env = await startTimeSkippingEnvironment();
  const fakes = new FakeActivities({ now: serverClock(), sales: { now: () => env.currentTimeMs() } });
  fake = fakes.sales;
  worker = await startFakeWorker(env, fakes.activities);
});
after(async () => {
  await worker?.stop();
  await env?.teardown();
});

/** The sales the running test started: whatever a failed test leaves running ends with it. */
const started: WorkflowHandle[] = [];
afterEach(async () => {
  for (const handle of started.splice(0)) await terminateWhenIdle(handle, 'test over');
});

interface SaleRun {
  sale: FakeSaleState;
  handle: WorkflowHandle<typeof saleWorkflow>;
}

/** A sale made by the API and its workflow, its start and end `startInMs` and `endInMs` from the server's now. */
async function startSale(
  plan: Omit<SalePlan, 'startsAtMs' | 'endsAtMs'> & { startInMs: number; endInMs: number | null },
): Promise<SaleRun> {
  const nowMs = await env.currentTimeMs();
  const sale = fake.add({
    ...plan,
    startsAtMs: nowMs + plan.startInMs,
    endsAtMs: plan.endInMs === null ? null : nowMs + plan.endInMs,
  });
  const input: SaleWorkflowInput = {
    saleId: sale.id,
    sellerId: sale.sellerId,
    startsAt: new Date(sale.startsAtMs).toISOString(),
    endsAt: sale.endsAtMs === null ? null : new Date(sale.endsAtMs).toISOString(),
  };
  const handle = await env.client.workflow.start(saleWorkflow, {
    workflowId: saleWorkflowId(sale.id),
    taskQueue: worker.taskQueue,
    args: [input],
  });
  started.push(handle);
  return { sale, handle };
}

/** Claims at the server's now, as the API does, and signals as its wake flag asks (every claim here). */
async function claim(run: SaleRun, quantity = 1, holdMs?: number, userId = randomUUID()) {
  const held = fake.claim(run.sale.id, userId, quantity, await env.currentTimeMs(), holdMs);
  assert.ok(held, 'the claim was refused');
  await run.handle.signal(claimsPendingSignal, { seq: held.seq, holdExpiresAtMs: held.holdExpiresAtMs });
  return held;
}

/** Skips until the workflow has copied every hold into orders. */
async function untilPersisted(run: SaleRun): Promise<void> {
  for (let i = 0; i < 50 && run.sale.persistedSeq < run.sale.seq; i++) await env.sleep(100);
  assert.equal(run.sale.persistedSeq, run.sale.seq, 'the holds were never persisted');
}

const named = (sale: FakeSaleState, name: SaleCall['name']) => sale.calls.filter((c) => c.name === name);

/** Asserts that `atMs` is `moment`, or up to `slackMs` after it: never before. */
/** How long before the fake records a hold's end its expiry run may have started (the activity's own time). */
const RUN_START_TO_END_MS = 100;

function assertAt(atMs: number | undefined, moment: number, what: string, slackMs = SLACK_MS): void {
  assert.ok(atMs !== undefined, `${what}: never`);
  const late = atMs - moment;
  assert.ok(late >= 0 && late <= slackMs, `${what}: ${late} ms from its moment ${new Date(moment).toISOString()}`);
}

async function closeTimeMs(handle: WorkflowHandle): Promise<number> {
  const { closeTime } = await handle.describe();
  assert.ok(closeTime, 'the workflow has not closed');
  return closeTime.getTime();
}

test(
  'when a sale a day away gets no claim, then it opens at startsAt, closes at endsAt, and ends then with nothing held',
  LIMIT,
  async () => {
    const run = await startSale({ startInMs: DAY, endInMs: DAY + 2 * MINUTE, stock: 5, holdMs: MINUTE });
    const { sale, handle } = run;
    const state = await handle.result();

    assert.equal(state.phase, 'closed');
    assert.deepEqual(state.counts, { available: 5, held: 0, sold: 0 });
    assertAt(named(sale, 'openSale')[0]?.atMs, sale.startsAtMs, 'openSale');
    assertAt(named(sale, 'closeSale')[0]?.atMs, sale.endsAtMs!, 'closeSale');
    assert.ok(
      sale.calls.every((c) => c.atMs >= sale.startsAtMs),
      'an activity before the start',
    );
    assertAt(await closeTimeMs(handle), sale.endsAtMs!, 'the end of the run', 2 * SECOND);
    assert.equal((await handle.describe()).typedSearchAttributes.get(saleStatusKey), 'closed');
  },
);

test(
  'when holds expire, then each ends at its expiry, or within MIN_EXPIRY_RUN_GAP_MS when one just ran, and the units come back',
  LIMIT,
  async () => {
    const run = await startSale({ startInMs: 0, endInMs: null, stock: 5, holdMs: 90 * SECOND, perUserLimit: 2 });
    const { sale, handle } = run;
    await env.sleep(7 * SECOND);
    assert.equal((await handle.query(saleStateQuery)).phase, 'open');
    // Three holds: two ending 300 ms apart (the second waits for the gap), the third 5 s later.
    const first = await claim(run, 1, 60 * SECOND);
    const second = await claim(run, 2, 60 * SECOND + 300);
    const third = await claim(run, 1, 65 * SECOND);
    await untilPersisted(run);
    assert.deepEqual(sale.holds.size, 3);

    await env.sleep(75 * SECOND);
    const ends = new Map(sale.ends.map((e) => [e.orderId, e]));
    assertAt(ends.get(first.orderId)?.endedAtMs, first.holdExpiresAtMs, 'the first hold');
    // The gap runs from the first run's start, which is a few ms before the fake saw its end: the second
    // ends after its own expiry, about a gap after the first, and no later than the gap plus the slack.
    const secondEnd = ends.get(second.orderId)?.endedAtMs;
    assert.ok(secondEnd !== undefined && secondEnd >= second.holdExpiresAtMs, 'the second hold: not before its expiry');
    assertAt(
      secondEnd,
      ends.get(first.orderId)!.endedAtMs + MIN_EXPIRY_RUN_GAP_MS - RUN_START_TO_END_MS,
      'the second hold, a gap after the first run',
      SLACK_MS + RUN_START_TO_END_MS,
    );
    assertAt(ends.get(third.orderId)?.endedAtMs, third.holdExpiresAtMs, 'the third hold');
    assert.deepEqual(
      [...ends.values()].map((e) => e.as),
      ['released', 'released', 'released'],
    );
    for (const id of [first.orderId, second.orderId, third.orderId])
      assert.equal(fake.orders.get(id)?.status, 'expired');
    assert.deepEqual(
      { available: sale.available, held: sale.held, sold: sale.sold },
      { available: 5, held: 0, sold: 0 },
    );
    assert.deepEqual((await handle.query(saleStateQuery)).counts, { available: 5, held: 0, sold: 0 });
    // An open sale without an end runs on until cancelled.
    await handle.signal(cancelSaleSignal, { reason: 'test over' });
    assert.equal((await handle.result()).phase, 'cancelled');
  },
);

test(
  'when a sold-out sale has a waitlist, then an expired hold goes to the buyer waiting, whose own hold then comes back to available',
  LIMIT,
  async () => {
    const run = await startSale({ startInMs: 0, endInMs: 10 * MINUTE, stock: 2, holdMs: 40 * SECOND });
    const { sale, handle } = run;
    await env.sleep(3 * SECOND);
    const ann = await claim(run, 1);
    const ben = await claim(run, 1);
    await untilPersisted(run);
    assert.equal(sale.available, 0);
    const waiter = randomUUID();
    assert.ok(fake.joinWaitlist(sale.id, waiter, 1), 'the waitlist refused');
    // ben pays; ann's hold expires and goes to the waiter, whose hold expires in turn.
    await env.sleep(5 * SECOND);
    assert.equal(fake.pay(ben.orderId), 'paid');
    await handle.signal(saleOrderPaidSignal, { orderId: ben.orderId });
    await env.sleep(40 * SECOND);
    assert.equal(sale.offers.length, 1, 'no waitlist offer');
    const offer = sale.offers[0]!;
    assert.equal(offer.userId, waiter);
    assertAt(offer.atMs, ann.holdExpiresAtMs, 'the waitlist offer');
    const offered = fake.orders.get(offer.orderId)!;
    assert.deepEqual([offered.status, offered.fromWaitlist, offered.quantity], ['awaiting_payment', true, 1]);
    assert.deepEqual(
      { available: sale.available, held: sale.held, sold: sale.sold },
      { available: 0, held: 1, sold: 1 },
    );

    await env.sleep(45 * SECOND);
    assert.equal(offered.status, 'expired');
    assert.deepEqual(
      { available: sale.available, held: sale.held, sold: sale.sold },
      { available: 1, held: 0, sold: 1 },
    );
    assert.equal((await handle.describe()).typedSearchAttributes.get(saleStatusKey), 'open');
    const state = await handle.result();
    assert.equal(state.phase, 'closed');
    assertAt(named(sale, 'closeSale')[0]?.atMs, sale.endsAtMs!, 'closeSale');
  },
);

test(
  'when 120 holds expire over a minute, then the workflow ends them in at most one run a second, none more than MIN_EXPIRY_RUN_GAP_MS late',
  LIMIT,
  async () => {
    const holds = 120;
    const run = await startSale({ startInMs: 0, endInMs: null, stock: holds, holdMs: MINUTE });
    const { sale, handle } = run;
    await env.sleep(3 * SECOND);
    const now = await env.currentTimeMs();
    // Every 500 ms one expires, from a minute on: the API's wake flag sends one signal for all of them.
    const claims = Array.from({ length: holds }, (_, i) =>
      fake.claim(sale.id, randomUUID(), 1, now, MINUTE + i * 500)!,
    );
    await handle.signal(claimsPendingSignal, { seq: sale.seq, holdExpiresAtMs: claims[0]!.holdExpiresAtMs });
    await untilPersisted(run);
    const firstExpiry = claims[0]!.holdExpiresAtMs;
    const lastExpiry = claims[holds - 1]!.holdExpiresAtMs;
    await env.sleep(lastExpiry - (await env.currentTimeMs()) + 2 * SECOND);

    assert.equal(sale.ends.length, holds, 'not every hold ended');
    assert.equal(new Set(sale.ends.map((e) => e.orderId)).size, holds, 'a hold ended twice');
    for (const end of sale.ends) {
      assertAt(end.endedAtMs, end.expiresAtMs, `hold ${end.orderId}`, MIN_EXPIRY_RUN_GAP_MS + SLACK_MS);
    }
    const runs = named(sale, 'settleDueHolds').filter((c) => c.atMs >= firstExpiry);
    const spanSeconds = (lastExpiry - firstExpiry) / SECOND;
    assert.ok(runs.length <= spanSeconds + 2, `${runs.length} expiry runs for ${spanSeconds} s of expiries`);
    // atMs is the test server's time when the fake activity asked for it, which trails the workflow's own
    // timer by however long the activity took to start: under load, one run's reading can be late by
    // more than the next one's, so a gap of exactly MIN_EXPIRY_RUN_GAP_MS can read as less. Back-to-back
    // runs (what this guards against) are still caught: they read as far less than half a gap apart.
    for (let i = 1; i < runs.length; i++) {
      const apart = runs[i]!.atMs - runs[i - 1]!.atMs;
      assert.ok(apart >= MIN_EXPIRY_RUN_GAP_MS / 2, `two expiry runs ${apart} ms apart, less than half a gap`);
    }
    assert.equal(sale.available, holds);
    await handle.signal(cancelSaleSignal, { reason: 'test over' });
    await handle.result();
  },
);

test(
  'when a hold is paid and its signal comes, then it is sold at once, never released at its expiry, and a sale sold out ends',
  LIMIT,
  async () => {
    const run = await startSale({ startInMs: 0, endInMs: DAY, stock: 2, holdMs: 10 * MINUTE, perUserLimit: 2 });
    const { sale, handle } = run;
    await env.sleep(3 * SECOND);
    const both = await claim(run, 2);
    await untilPersisted(run);
    await env.sleep(4 * SECOND);
    assert.equal(fake.pay(both.orderId), 'paid');
    const paidAtMs = await env.currentTimeMs();
    await handle.signal(saleOrderPaidSignal, { orderId: both.orderId });
    const state = await handle.result();

    assertAt(named(sale, 'settleSaleOrder')[0]?.atMs, paidAtMs, 'settleSaleOrder');
    assert.deepEqual(
      sale.ends.map((e) => e.as),
      ['sold'],
    );
    assert.deepEqual(state.counts, { available: 0, held: 0, sold: 2 });
    // Everything sold: the run ends at once, long before its end, and says sold out.
    assert.equal(state.phase, 'open');
    assertAt(await closeTimeMs(handle), paidAtMs, 'the end of the run', 2 * SECOND);
    assert.equal((await handle.describe()).typedSearchAttributes.get(saleStatusKey), 'sold_out');
    assert.equal(named(sale, 'settleDueHolds').length, 0, 'an expiry run for a paid hold');
  },
);

test(
  'when a sale closes with a hold open, then the run waits for that hold and ends when it expires',
  LIMIT,
  async () => {
    const run = await startSale({ startInMs: 0, endInMs: MINUTE, stock: 3, holdMs: 5 * MINUTE });
    const { sale, handle } = run;
    await env.sleep(5 * SECOND);
    const held = await claim(run, 1);
    const state = await handle.result();

    assert.equal(state.phase, 'closed');
    assertAt(named(sale, 'closeSale')[0]?.atMs, sale.endsAtMs!, 'closeSale');
    assertAt(sale.ends[0]?.endedAtMs, held.holdExpiresAtMs, 'the hold');
    assertAt(await closeTimeMs(handle), held.holdExpiresAtMs, 'the end of the run', 2 * SECOND);
    assert.deepEqual(state.counts, { available: 3, held: 0, sold: 0 });
    // After the close it only waits for the hold: no periodic look for claims that cannot come.
    const lateLooks = named(sale, 'persistSale').filter((c) => c.atMs > sale.endsAtMs! + SECOND);
    assert.equal(lateLooks.length, 0, `${lateLooks.length} persist runs after the close`);
  },
);

test(
  'when a sale is cancelled with a hold awaiting payment and one paid, then the first is cancelled and released, the paid one sold, and the run ends',
  LIMIT,
  async () => {
    const run = await startSale({ startInMs: 0, endInMs: DAY, stock: 4, holdMs: 10 * MINUTE });
    const { sale, handle } = run;
    await env.sleep(3 * SECOND);
    const awaiting = await claim(run, 1);
    const paid = await claim(run, 1);
    await untilPersisted(run);
    // Paid, but its signal not yet in: the cancel's own look at Postgres finds it.
    assert.equal(fake.pay(paid.orderId), 'paid');
    await env.sleep(4 * SECOND);
    const cancelledAtMs = await env.currentTimeMs();
    await handle.signal(cancelSaleSignal, { reason: 'the stock was damaged' });
    const state = await handle.result();

    assert.equal(state.phase, 'cancelled');
    assert.equal(state.cancelReason, 'the stock was damaged');
    assertAt(named(sale, 'cancelSale')[0]?.atMs, cancelledAtMs, 'cancelSale');
    assert.equal(named(sale, 'cancelSale')[0]?.detail, 'the stock was damaged');
    assert.equal(fake.orders.get(awaiting.orderId)?.status, 'cancelled');
    assert.equal(fake.orders.get(paid.orderId)?.status, 'paid');
    const ends = new Map(sale.ends.map((e) => [e.orderId, e.as]));
    assert.deepEqual([ends.get(awaiting.orderId), ends.get(paid.orderId)], ['released', 'sold']);
    assert.deepEqual(state.counts, { available: 3, held: 0, sold: 1 });
    assertAt(await closeTimeMs(handle), cancelledAtMs, 'the end of the run', 2 * SECOND);
    assert.equal((await handle.describe()).typedSearchAttributes.get(saleStatusKey), 'cancelled');
  },
);

test('when a sale is cancelled before its start, then it never opens and ends cancelled at once', LIMIT, async () => {
  const run = await startSale({ startInMs: 2 * DAY, endInMs: 3 * DAY, stock: 4, holdMs: MINUTE });
  const { sale, handle } = run;
  await env.sleep(DAY);
  assert.equal((await handle.describe()).typedSearchAttributes.get(saleStatusKey), 'scheduled');
  await handle.signal(cancelSaleSignal, { reason: 'withdrawn' });
  const state = await handle.result();
  assert.equal(state.phase, 'cancelled');
  assert.deepEqual(
    sale.calls.map((c) => c.name),
    ['cancelSale'],
  );
});

test(
  'when a sale runs past SALE_HISTORY_EVENTS_BEFORE_CONTINUE events, then it continues as new with where it stood, and the next run ends each hold once',
  LIMIT,
  async () => {
    // A hold ending each second keeps the expiry runs coming, ~6 events each.
    const holds = 420;
    const run = await startSale({ startInMs: 0, endInMs: null, stock: holds + 1, holdMs: MINUTE });
    const { sale, handle } = run;
    const firstRunId = (await handle.describe()).runId;
    await env.sleep(3 * SECOND);
    const now = await env.currentTimeMs();
    const claims = Array.from({ length: holds }, (_, i) =>
      fake.claim(sale.id, randomUUID(), 1, now, 10 * SECOND + i * SECOND)!,
    );
    await handle.signal(claimsPendingSignal, { seq: sale.seq, holdExpiresAtMs: claims[0]!.holdExpiresAtMs });
    await env.sleep(claims[holds - 1]!.holdExpiresAtMs - now + 2 * SECOND);

    const latest = await handle.describe();
    assert.notEqual(latest.runId, firstRunId, 'it never continued as new');
    const firstRun = env.client.workflow.getHandle(handle.workflowId, firstRunId);
    assert.equal((await firstRun.describe()).status.name, 'CONTINUED_AS_NEW');
    const firstHistory = await firstRun.fetchHistory();
    assert.ok((firstHistory.events?.length ?? 0) <= SALE_HISTORY_EVENTS_BEFORE_CONTINUE + 50, 'the first run ran on');
    const carried = (await handle.query(saleStateQuery)).persistedSeq;
    assert.equal(carried, sale.seq, 'the persisted seq was not carried');

    assert.equal(sale.ends.length, holds);
    assert.equal(new Set(sale.ends.map((e) => e.orderId)).size, holds, 'a hold ended twice');
    for (const end of sale.ends) {
      assertAt(end.endedAtMs, end.expiresAtMs, `hold ${end.orderId}`, MIN_EXPIRY_RUN_GAP_MS + SLACK_MS);
    }
    // Every persist after the hand-over started from the carried seq, never from 0 again.
    assert.ok(named(sale, 'persistSale').every((c) => c.detail !== '0' || c.atMs < claims[0]!.holdExpiresAtMs));
    await handle.signal(cancelSaleSignal, { reason: 'test over' });
    assert.equal((await handle.result()).phase, 'cancelled');
  },
);
