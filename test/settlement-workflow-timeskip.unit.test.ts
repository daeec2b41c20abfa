/**
 * The settlement workflow (workflows/settlement/settlement.ts) on Temporal's time-skipping test server,
 * with fake activities (helpers/fake-settlement.ts): a payment window of days, the offers after it and
 * the seller's month run in well under a second each, and every activity call and notice is recorded
 * with the server's (skipped) time, so the tests check *when* the settlement acted against the rules in
 * docs/settlement.md and domain/settlement/, not only what it did. No services: the JVM test server only.
 *
 * A signal or update is sent at a moment that is no timer's (helpers/time-skipping.ts, "signals"):
 * hours off the reminders, the expiry and the offers' ends.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, test } from 'node:test';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { BidMaximum } from '../domain/settlement/offer.js';
import { SETTLEMENT_REFUSALS } from '../domain/settlement/workflow.js';
import {
  answerOfferUpdate,
  cancelOrderSignal,
  extendPayBySignal,
  markOrderPaidSignal,
  offerSecondChanceUpdate,
  orderChangedSignal,
  relistUpdate,
  settlementStateQuery,
} from '../workflows/settlement/definitions.js';
import { FakeActivities } from './helpers/fake-auction.js';
import type { FakeSettlement, RecordedCall } from './helpers/fake-settlement.js';
import {
  assertAt,
  callNames,
  DAY,
  HOUR,
  MINUTE,
  noticeNames,
  SECOND,
  searchAttributesOf,
  startSettlement,
  type SettlementPlan,
  type SettlementRun,
} from './helpers/settlement-timeskip.js';
import {
  serverClock,
  startFakeWorker,
  startTimeSkippingEnvironment,
  terminateWhenIdle,
  type FakeWorker,
} from './helpers/time-skipping.js';

/** A test that hangs (time skipping stalled: helpers/time-skipping.ts, terminateWhenIdle) fails instead. */
const LIMIT = { timeout: 30 * SECOND };

let env: TestWorkflowEnvironment;
let fake: FakeSettlement;
let worker: FakeWorker;

before(async () => {
  env = await startTimeSkippingEnvironment();
  const fakes = new FakeActivities({ now: serverClock() });
  fake = fakes.settlement;
  worker = await startFakeWorker(env, fakes.activities);
});
after(async () => {
  await worker?.stop();
  await env?.teardown();
});

/** The settlements the running test started. */
const started: WorkflowHandle[] = [];

// A settlement left waiting (for the seller, for days) would keep its timers on the one server clock the
// next test skips: it ends with its test.
afterEach(async () => {
  for (const handle of started.splice(0)) await terminateWhenIdle(handle, 'test over');
});

async function settle(plan: SettlementPlan): Promise<SettlementRun> {
  const run = await startSettlement(env, fake, worker.taskQueue, plan);
  started.push(run.handle);
  return run;
}

/** The server's clock, `ms` after it is now: for a signal sent at a known moment. */
async function skip(ms: number): Promise<number> {
  await env.sleep(ms);
  return env.currentTimeMs();
}

const named = (calls: RecordedCall[], name: RecordedCall['name']) => calls.filter((c) => c.name === name);
const ms = (iso: string | null | undefined) => Date.parse(iso!);

/** Asserts that `error` is the workflow's refusal of an update, of this type. */
function assertRefusal(error: unknown, refusal: string): true {
  assert.ok(error instanceof WorkflowUpdateFailedError, `not an update failure: ${String(error)}`);
  assert.ok(error.cause instanceof ApplicationFailure, `not refused by the workflow: ${String(error.cause)}`);
  assert.equal(error.cause.type, refusal);
  return true;
}

const assertRefused = (update: Promise<unknown>, refusal: string) =>
  assert.rejects(update, (error) => assertRefusal(error, refusal));

/** The one outcome of two updates sent at once that was refused. */
function theRefused(outcomes: PromiseSettledResult<unknown>[]): unknown {
  const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  assert.equal(refused.length, 1, `${refused.length} of the updates refused`);
  return refused[0]!.reason;
}

// The bidders behind the winner, and the order the rule gives them: Carol and Bob both bid 950 at most,
// Carol first; Dave's maximum is 700. The winner is never offered the lot again.
const winner = randomUUID();
const [carol, bob, dave] = [randomUUID(), randomUUID(), randomUUID()];
const bids: BidMaximum[] = [
  { bidderId: dave, maxAmount: 700, seq: 1 },
  { bidderId: bob, maxAmount: 800, seq: 2 },
  { bidderId: carol, maxAmount: 950, seq: 3 },
  { bidderId: bob, maxAmount: 950, seq: 4 },
  { bidderId: winner, maxAmount: 1200, seq: 5 },
];

// --- The winner's order ---

test(
  'when the winner pays 12 hours into a 3-day window, then the webhook signal ends the settlement paid at once, with the payout and no reminder or expiry',
  LIMIT,
  async () => {
    const run = await settle({ paymentWindowMs: 3 * DAY, hammerPrice: 25_000 });
    const paidAtMs = await skip(12 * HOUR);
    // The webhook: the payment applied in Postgres (with the seller's payout), then the signal.
    fake.pay(run.order.id, paidAtMs);
    await run.handle.signal(orderChangedSignal, { orderId: run.order.id });
    const state = await run.handle.result();

    assert.equal(state.phase, 'paid');
    assert.equal(state.order?.status, 'paid');
    assert.deepEqual(state.remindersSent, []);
    assert.deepEqual(state.orderIds, [run.order.id]);
    assert.deepEqual(callNames(run.calls()), ['announceOrder', 'readOrderStatus', 'notifyOrderPaid']);
    assertAt(named(run.calls(), 'readOrderStatus')[0], paidAtMs, 'readOrderStatus');
    assertAt(named(run.calls(), 'notifyOrderPaid')[0], paidAtMs, 'notifyOrderPaid');
    // Ended at the payment, not at a reminder or payBy. (The server's clock itself jumps on once nothing
    // waits on it, so the workflow's close time is the one to read.)
    const { closeTime } = await run.handle.describe();
    assertAt({ atMs: closeTime!.getTime() }, paidAtMs, 'the close at the payment');
    assert.deepEqual(
      fake.payouts.filter((p) => p.orderId === run.order.id).map(({ amount, sellerFee }) => ({ amount, sellerFee })),
      [
        { amount: 22_500, sellerFee: 2_500 }, // the hammer price less the house's 10 %
      ],
    );
    assert.deepEqual(noticeNames(run.notices()), [
      `payment_due:${run.winnerId}`,
      `order_paid:${run.winnerId}`,
      `order_paid:${run.sellerId}`,
    ]);
    assert.ok(!fake.strikes.includes(run.winnerId), 'a strike for a paid order');
    assert.equal((await run.handle.describe()).status.name, 'COMPLETED');
    assert.deepEqual(await searchAttributesOf(run.handle), {
      phase: 'paid',
      orderStatus: 'paid',
      payBy: run.order.payBy,
    });
  },
);

test(
  'when the payment came before the settlement started (its signal found no one), then the first read of the order finds it paid and the settlement ends paid',
  LIMIT,
  async () => {
    const run = await settle({ paymentWindowMs: 3 * DAY, paidBeforeStart: true });
    const state = await run.handle.result();
    assert.equal(state.phase, 'paid');
    assert.deepEqual(callNames(run.calls()), ['announceOrder', 'notifyOrderPaid']);
    assert.deepEqual(noticeNames(run.notices()), [`order_paid:${run.winnerId}`, `order_paid:${run.sellerId}`]);
  },
);

test(
  'when a 3-day window runs out unpaid, then the buyer is reminded at 36 h and 48 h, the order expires at payBy with a strike and both parties told, and the seller then has their decision time until the settlement closes',
  LIMIT,
  async (t) => {
    const wallStart = performance.now();
    const run = await settle({ paymentWindowMs: 3 * DAY, sellerDecisionSeconds: (30 * DAY) / SECOND });
    const createdAtMs = ms(run.order.createdAt);
    const payByMs = ms(run.order.payBy);
    assert.equal(payByMs - createdAtMs, 3 * DAY);
    await skip(payByMs + 6 * HOUR - (await env.currentTimeMs()));

    const state = await run.handle.query(settlementStateQuery);
    assert.equal(state.phase, 'awaiting_seller');
    assert.equal(state.order?.status, 'expired');
    assert.deepEqual(state.remindersSent, [createdAtMs + 36 * HOUR, createdAtMs + 48 * HOUR]);
    assertAt({ atMs: ms(state.sellerDecisionBy) }, payByMs + 30 * DAY, 'sellerDecisionBy');
    assert.deepEqual(callNames(run.calls()), [
      'announceOrder',
      `remindPayment:${createdAtMs + 36 * HOUR}`,
      `remindPayment:${createdAtMs + 48 * HOUR}`,
      'expireOrder',
    ]);
    const reminders = named(run.calls(), 'remindPayment');
    assertAt(reminders[0], createdAtMs + 36 * HOUR, 'the reminder at half the window');
    assertAt(reminders[1], payByMs - 24 * HOUR, 'the reminder 24 h before payBy');
    assertAt(named(run.calls(), 'expireOrder')[0], payByMs, 'expireOrder');
    assert.equal(fake.orders.get(run.order.id)?.status, 'expired');
    assert.deepEqual(
      fake.strikes.filter((buyer) => buyer === run.winnerId),
      [run.winnerId],
    );
    assert.deepEqual(noticeNames(run.notices()), [
      `payment_due:${run.winnerId}`,
      `payment_reminder:${run.winnerId}`,
      `payment_reminder:${run.winnerId}`,
      `order_unpaid:${run.winnerId}`,
      `order_unpaid:${run.sellerId}`,
    ]);
    assert.deepEqual(await searchAttributesOf(run.handle), {
      phase: 'awaiting_seller',
      orderStatus: 'expired',
      payBy: run.order.payBy,
    });

    // Nothing more happens until the seller's time runs out: then the settlement closes by itself.
    const final = await run.handle.result();
    assert.equal(final.phase, 'closed');
    assert.equal(run.calls().length, 4, `calls after the expiry: ${callNames(run.calls().slice(4)).join(', ')}`);
    const { closeTime } = await run.handle.describe();
    assertAt({ atMs: closeTime!.getTime() }, ms(state.sellerDecisionBy), 'the close');
    assert.equal((await searchAttributesOf(run.handle)).phase, 'closed');
    // Reported, not asserted (speed is measured in bench/, never in tests): timers are skipped, so what
    // wall time there is goes to workflow tasks.
    const wallMs = performance.now() - wallStart;
    t.diagnostic(`a 3-day window and 30 days of the seller's time in ${Math.round(wallMs)} ms of wall time`);
  },
);

test(
  'when the window is 1 hour, then only the reminder at half of it fits (24 h before payBy is before the order)',
  LIMIT,
  async () => {
    const run = await settle({ paymentWindowMs: HOUR, sellerDecisionSeconds: DAY / SECOND });
    const createdAtMs = ms(run.order.createdAt);
    const state = await run.handle.result();

    assert.equal(state.phase, 'closed');
    assert.deepEqual(callNames(run.calls()), [
      'announceOrder',
      `remindPayment:${createdAtMs + 30 * MINUTE}`,
      'expireOrder',
    ]);
    assertAt(named(run.calls(), 'remindPayment')[0], createdAtMs + 30 * MINUTE, 'the reminder at half the window');
    assertAt(named(run.calls(), 'expireOrder')[0], createdAtMs + HOUR, 'expireOrder');
  },
);

test(
  'when the window is 48 hours, then its half and 24 h before payBy are one moment, and one reminder goes out',
  LIMIT,
  async () => {
    const run = await settle({ paymentWindowMs: 48 * HOUR, sellerDecisionSeconds: DAY / SECOND });
    const createdAtMs = ms(run.order.createdAt);
    await run.handle.result();

    assert.deepEqual(callNames(run.calls()), [
      'announceOrder',
      `remindPayment:${createdAtMs + 24 * HOUR}`,
      'expireOrder',
    ]);
    assertAt(named(run.calls(), 'remindPayment')[0], createdAtMs + 24 * HOUR, 'the one reminder');
    assertAt(named(run.calls(), 'expireOrder')[0], createdAtMs + 48 * HOUR, 'expireOrder');
  },
);

// --- Second chance ---

/** A settlement whose winner let the 3-day window run out: 6 hours into the seller's time. */
async function expiredSettlement(plan: Partial<SettlementPlan> = {}): Promise<SettlementRun> {
  const run = await settle({ paymentWindowMs: 3 * DAY, bids, winnerId: winner, ...plan });
  await skip(ms(run.order.payBy) + 6 * HOUR - (await env.currentTimeMs()));
  assert.equal((await run.handle.query(settlementStateQuery)).phase, 'awaiting_seller');
  return run;
}

test(
  'when the seller offers the lot after the expiry and the bidder accepts, then the offer goes to the next bidder at their maximum, and the acceptance makes a second_chance order with its own window, paid like the first',
  LIMIT,
  async () => {
    const run = await expiredSettlement({ offerWindowSeconds: (2 * DAY) / SECOND });
    const offeredAtMs = await env.currentTimeMs();
    const offer = await run.handle.executeUpdate(offerSecondChanceUpdate, { args: [{}] });

    // Carol and Bob share the highest maximum behind the winner; Carol bid it first.
    assert.equal(offer.bidderId, carol);
    assert.equal(offer.amount, 950);
    assert.equal(offer.status, 'open');
    assertAt({ atMs: ms(offer.expiresAt) }, offeredAtMs + 2 * DAY, 'the offer expiry (offerWindowSeconds)');
    const open = await run.handle.query(settlementStateQuery);
    assert.equal(open.phase, 'offer_open');
    assert.deepEqual(open.offer, { id: offer.id, bidderId: carol, expiresAt: offer.expiresAt, status: 'open' });
    assert.equal((await searchAttributesOf(run.handle)).phase, 'offer_open');
    await assertRefused(
      run.handle.executeUpdate(answerOfferUpdate, { args: [{ offerId: offer.id, bidderId: bob, accept: true }] }),
      SETTLEMENT_REFUSALS.notYourOffer,
    );

    const acceptedAtMs = await skip(5 * HOUR);
    const answer = await run.handle.executeUpdate(answerOfferUpdate, {
      args: [{ offerId: offer.id, bidderId: carol, accept: true }],
    });
    assert.equal(answer.offer.status, 'accepted');
    const second = answer.order;
    assert.ok(second, 'the acceptance made no order');
    assert.equal(second.kind, 'second_chance');
    assert.equal(second.buyerId, carol);
    assert.equal(second.hammerPrice, 950);
    assert.equal(second.total, 950 + 95); // the buyer's premium of 10 % on the offer's amount
    assert.equal(second.status, 'awaiting_payment');
    assertAt({ atMs: ms(second.createdAt) }, acceptedAtMs, 'the second order');
    assert.equal(ms(second.payBy) - ms(second.createdAt), 3 * DAY, 'its own 3-day window');
    const accepted = await run.handle.query(settlementStateQuery);
    assert.equal(accepted.phase, 'awaiting_payment');
    assert.equal(accepted.order?.id, second.id);
    assert.deepEqual(accepted.orderIds, [run.order.id, second.id]);
    assert.deepEqual(accepted.remindersSent, []);
    assert.deepEqual(await searchAttributesOf(run.handle), {
      phase: 'awaiting_payment',
      orderStatus: 'awaiting_payment',
      payBy: second.payBy,
    });

    // Its own clock: the reminder at half its window, then Carol pays.
    const paidAtMs = await skip(40 * HOUR);
    fake.pay(second.id, paidAtMs);
    await run.handle.signal(orderChangedSignal, { orderId: second.id });
    const final = await run.handle.result();

    assert.equal(final.phase, 'paid');
    assert.equal(final.order?.status, 'paid');
    const afterAccept = run.calls().filter((c) => c.atMs >= acceptedAtMs);
    assert.deepEqual(callNames(afterAccept), [
      'answerOffer:accept',
      `remindPayment:${ms(second.createdAt) + 36 * HOUR}`,
      'readOrderStatus',
      'notifyOrderPaid',
    ]);
    assertAt(named(afterAccept, 'remindPayment')[0], ms(second.createdAt) + 36 * HOUR, "the second order's reminder");
    assert.deepEqual(
      fake.payouts.filter((p) => p.orderId === second.id).map(({ amount, sellerFee }) => ({ amount, sellerFee })),
      [{ amount: 855, sellerFee: 95 }],
    );
    assert.deepEqual(noticeNames(run.notices().filter((n) => n.aboutId === second.id)), [
      `payment_due:${carol}`,
      `payment_reminder:${carol}`,
      `order_paid:${carol}`,
      `order_paid:${run.sellerId}`,
    ]);
    assert.ok(!fake.strikes.includes(carol), 'a strike for a paid order');
  },
);

test(
  "when offers are declined or left unanswered, then each ends in the seller's turn again with a new decision time, the next offer goes to the next bidder, and with nobody left the offer is refused and the seller's time closes the settlement",
  LIMIT,
  async () => {
    const decision = 10 * DAY;
    const run = await expiredSettlement({
      offerWindowSeconds: (2 * DAY) / SECOND,
      sellerDecisionSeconds: decision / SECOND,
    });
    const first = await run.handle.executeUpdate(offerSecondChanceUpdate, { args: [{}] });
    assert.equal(first.bidderId, carol);
    const declinedAtMs = await skip(2 * HOUR);
    const declined = await run.handle.executeUpdate(answerOfferUpdate, {
      args: [{ offerId: first.id, bidderId: carol, accept: false }],
    });
    assert.equal(declined.offer.status, 'declined');
    assert.equal(declined.order, null);
    const afterDecline = await run.handle.query(settlementStateQuery);
    assert.equal(afterDecline.phase, 'awaiting_seller');
    assertAt({ atMs: ms(afterDecline.sellerDecisionBy) }, declinedAtMs + decision, 'the decision time after a decline');

    // An offer with a window of its own (the seller's choice) to Bob, who lets it run out.
    await skip(HOUR);
    const secondOffer = await run.handle.executeUpdate(offerSecondChanceUpdate, {
      args: [{ offerWindowSeconds: DAY / SECOND }],
    });
    assert.equal(secondOffer.bidderId, bob);
    assert.equal(secondOffer.amount, 950);
    await skip(ms(secondOffer.expiresAt) + 3 * HOUR - (await env.currentTimeMs()));
    const afterExpiry = await run.handle.query(settlementStateQuery);
    assert.equal(afterExpiry.phase, 'awaiting_seller');
    assert.equal(afterExpiry.offer?.status, 'expired');
    assertAt(named(run.calls(), 'expireOffer')[0], ms(secondOffer.expiresAt), 'expireOffer');
    assertAt(
      { atMs: ms(afterExpiry.sellerDecisionBy) },
      ms(secondOffer.expiresAt) + decision,
      'the decision time after an expiry',
    );

    const third = await run.handle.executeUpdate(offerSecondChanceUpdate, { args: [{}] });
    assert.equal(third.bidderId, dave);
    assert.equal(third.amount, 700);
    await skip(HOUR);
    await run.handle.executeUpdate(answerOfferUpdate, { args: [{ offerId: third.id, bidderId: dave, accept: false }] });
    await skip(HOUR);
    await assertRefused(
      run.handle.executeUpdate(offerSecondChanceUpdate, { args: [{}] }),
      SETTLEMENT_REFUSALS.noCandidate,
    );
    const last = await run.handle.query(settlementStateQuery);
    assert.equal(last.phase, 'awaiting_seller');
    assert.deepEqual(last.offerIds, [first.id, secondOffer.id, third.id]);

    const final = await run.handle.result();
    assert.equal(final.phase, 'closed');
    const { closeTime } = await run.handle.describe();
    assertAt({ atMs: closeTime!.getTime() }, ms(last.sellerDecisionBy), 'the close at the end of the decision time');
    assert.deepEqual(callNames(named(run.calls(), 'makeSecondChanceOffer')).length, 4);
    assert.deepEqual(callNames(run.calls().filter((c) => c.name === 'answerOffer' || c.name === 'expireOffer')), [
      'answerOffer:decline',
      'expireOffer',
      'answerOffer:decline',
    ]);
    assert.deepEqual(noticeNames(run.notices().filter((n) => n.type.startsWith('second_chance'))), [
      `second_chance_offer:${carol}`,
      `second_chance_answered:${run.sellerId}`,
      `second_chance_offer:${bob}`,
      `second_chance_answered:${run.sellerId}`,
      `second_chance_offer:${dave}`,
      `second_chance_answered:${run.sellerId}`,
    ]);
  },
);

test('when the seller relists the lot in their decision time, then the settlement closes at once', LIMIT, async () => {
  const run = await expiredSettlement();
  const relistedAtMs = await env.currentTimeMs();
  await run.handle.executeUpdate(relistUpdate, { args: [] });
  const final = await run.handle.result();
  assert.equal(final.phase, 'closed');
  const { closeTime } = await run.handle.describe();
  assertAt({ atMs: closeTime!.getTime() }, relistedAtMs, 'the close at the relist');
  assert.ok(!run.calls().some((c) => c.name === 'makeSecondChanceOffer'), 'an offer after the relist');
});

test(
  'when the auction has autoSecondChance, then the offers go out by themselves in order at the expiry and at the end of each unanswered offer, until nobody is left and the settlement closes',
  LIMIT,
  async () => {
    const offerWindow = 2 * DAY;
    const run = await settle({
      paymentWindowMs: 3 * DAY,
      bids,
      winnerId: winner,
      autoSecondChance: true,
      offerWindowSeconds: offerWindow / SECOND,
    });
    const payByMs = ms(run.order.payBy);
    const final = await run.handle.result();

    assert.equal(final.phase, 'closed');
    const offers = [...fake.offers.values()].filter((o) => o.auctionId === run.auctionId);
    assert.deepEqual(
      offers.map(({ bidderId, amount, status }) => ({ bidderId, amount, status })),
      [
        { bidderId: carol, amount: 950, status: 'expired' },
        { bidderId: bob, amount: 950, status: 'expired' },
        { bidderId: dave, amount: 700, status: 'expired' },
      ],
    );
    assert.deepEqual(
      final.offerIds,
      offers.map((o) => o.id),
    );
    const made = named(run.calls(), 'makeSecondChanceOffer');
    const expired = named(run.calls(), 'expireOffer');
    assert.equal(made.length, 4, 'three offers and the try that found nobody left');
    assert.equal(expired.length, 3);
    for (const [i, offer] of offers.entries()) {
      const at = payByMs + i * offerWindow;
      assertAt(made[i], at, `offer ${i + 1} made`);
      assertAt({ atMs: ms(offer.createdAt) }, at, `offer ${i + 1} created`);
      assertAt(expired[i], at + offerWindow, `offer ${i + 1} expired`);
    }
    assertAt(made[3], payByMs + 3 * offerWindow, 'the try that found nobody left');
    const { closeTime } = await run.handle.describe();
    assertAt({ atMs: closeTime!.getTime() }, payByMs + 3 * offerWindow, 'the close');
  },
);

// --- Operators ---

test(
  'when an operator extends payBy by 2 days, then the expiry moves to the new payBy and the reminders follow the new window; the query and OrderPayBy show it',
  LIMIT,
  async () => {
    const run = await settle({ paymentWindowMs: 3 * DAY });
    const createdAtMs = ms(run.order.createdAt);
    const newPayBy = new Date(createdAtMs + 5 * DAY).toISOString();
    const extendedAtMs = await skip(12 * HOUR);
    await run.handle.signal(extendPayBySignal, { payBy: newPayBy, reason: 'the buyer is abroad' });
    await skip(createdAtMs + 4 * DAY + 6 * HOUR - (await env.currentTimeMs()));

    const state = await run.handle.query(settlementStateQuery);
    assert.equal(state.phase, 'awaiting_payment', 'expired at the old payBy');
    assert.equal(state.order?.payBy, newPayBy);
    assert.equal(fake.orders.get(run.order.id)?.payBy, newPayBy);
    // The new window's moments: its half (60 h) and 24 h before the new payBy (96 h).
    assert.deepEqual(state.remindersSent, [createdAtMs + 60 * HOUR, createdAtMs + 96 * HOUR]);
    assert.deepEqual(await searchAttributesOf(run.handle), {
      phase: 'awaiting_payment',
      orderStatus: 'awaiting_payment',
      payBy: newPayBy,
    });

    await skip(ms(newPayBy) + 6 * HOUR - (await env.currentTimeMs()));
    assert.deepEqual(callNames(run.calls()), [
      'announceOrder',
      `extendPayBy:${newPayBy}`,
      `remindPayment:${createdAtMs + 60 * HOUR}`,
      `remindPayment:${createdAtMs + 96 * HOUR}`,
      'expireOrder',
    ]);
    assertAt(named(run.calls(), 'extendPayBy')[0], extendedAtMs, 'extendPayBy');
    assertAt(named(run.calls(), 'remindPayment')[0], createdAtMs + 60 * HOUR, 'the reminder at half the new window');
    assertAt(named(run.calls(), 'remindPayment')[1], createdAtMs + 96 * HOUR, 'the reminder 24 h before the new payBy');
    assertAt(named(run.calls(), 'expireOrder')[0], ms(newPayBy), 'expireOrder at the new payBy');
    assert.equal((await run.handle.query(settlementStateQuery)).phase, 'awaiting_seller');
  },
);

test(
  'when an operator cancels the order, then it is cancelled with no strike, both parties are told, nothing expires at payBy, and the seller has their turn',
  LIMIT,
  async () => {
    const run = await settle({ paymentWindowMs: 3 * DAY, sellerDecisionSeconds: (30 * DAY) / SECOND });
    const cancelledAtMs = await skip(12 * HOUR);
    await run.handle.signal(cancelOrderSignal, { reason: 'the lot was damaged in storage' });
    await skip(ms(run.order.payBy) + 6 * HOUR - (await env.currentTimeMs()));

    const state = await run.handle.query(settlementStateQuery);
    assert.equal(state.phase, 'awaiting_seller');
    assert.equal(state.order?.status, 'cancelled');
    assertAt({ atMs: ms(state.sellerDecisionBy) }, cancelledAtMs + 30 * DAY, 'sellerDecisionBy');
    assert.deepEqual(callNames(run.calls()), ['announceOrder', 'cancelOrder:the lot was damaged in storage']);
    assertAt(named(run.calls(), 'cancelOrder')[0], cancelledAtMs, 'cancelOrder');
    assert.equal(fake.orders.get(run.order.id)?.status, 'cancelled');
    assert.ok(!fake.strikes.includes(run.winnerId), 'a strike for a cancelled order');
    assert.deepEqual(noticeNames(run.notices()), [
      `payment_due:${run.winnerId}`,
      `order_cancelled:${run.winnerId}`,
      `order_cancelled:${run.sellerId}`,
    ]);
    assert.deepEqual(await searchAttributesOf(run.handle), {
      phase: 'awaiting_seller',
      orderStatus: 'cancelled',
      payBy: run.order.payBy,
    });
  },
);

test(
  'when an operator marks the order paid (with a reason), then it is paid by hand with the payout, both parties are told, and the settlement ends paid',
  LIMIT,
  async () => {
    const run = await settle({ paymentWindowMs: 3 * DAY, hammerPrice: 10_000 });
    const createdAtMs = ms(run.order.createdAt);
    const markedAtMs = await skip(40 * HOUR);
    await run.handle.signal(markOrderPaidSignal, { reason: 'paid by bank transfer' });
    const state = await run.handle.result();

    assert.equal(state.phase, 'paid');
    assert.equal(state.order?.status, 'paid');
    assert.deepEqual(callNames(run.calls()), [
      'announceOrder',
      `remindPayment:${createdAtMs + 36 * HOUR}`,
      'markOrderPaidByHand:paid by bank transfer',
      'notifyOrderPaid',
    ]);
    assertAt(named(run.calls(), 'markOrderPaidByHand')[0], markedAtMs, 'markOrderPaidByHand');
    assert.deepEqual(
      fake.payouts.filter((p) => p.orderId === run.order.id).map(({ amount, sellerFee }) => ({ amount, sellerFee })),
      [{ amount: 9_000, sellerFee: 1_000 }],
    );
    assert.deepEqual(noticeNames(run.notices()).slice(-2), [
      `order_paid:${run.winnerId}`,
      `order_paid:${run.sellerId}`,
    ]);
    assert.deepEqual(await searchAttributesOf(run.handle), {
      phase: 'paid',
      orderStatus: 'paid',
      payBy: run.order.payBy,
    });
  },
);

test(
  'when an operator sends a signal with no reason or a mistyped payBy, then it is dropped and the settlement goes on: reminded, then expired at payBy',
  LIMIT,
  async () => {
    const run = await settle({ paymentWindowMs: 3 * DAY });
    const createdAtMs = ms(run.order.createdAt);
    const payByMs = ms(run.order.payBy);
    await skip(HOUR);
    // What a hurried operator types in the Temporal UI: nothing, a missing field, a year with five digits.
    await run.handle.signal(markOrderPaidSignal, null as unknown as { reason: string });
    await run.handle.signal(cancelOrderSignal, {} as { reason: string });
    await run.handle.signal(extendPayBySignal, { payBy: '20260-01-01T00:00:00Z', reason: 'typo' });
    const state = await run.handle.query(settlementStateQuery);
    assert.equal(state.phase, 'awaiting_payment');
    assert.equal(state.order?.payBy, run.order.payBy);

    await skip(3 * DAY);
    assert.deepEqual(callNames(run.calls()).slice(0, 4), [
      'announceOrder',
      `remindPayment:${createdAtMs + 36 * HOUR}`,
      `remindPayment:${createdAtMs + 48 * HOUR}`,
      'expireOrder',
    ]);
    assertAt(named(run.calls(), 'expireOrder')[0], payByMs, 'expireOrder');
  },
);

// --- At most one live order or offer ---

test(
  'when the seller asks for an offer while the order is still awaiting payment, then it is refused and no offer is made',
  LIMIT,
  async () => {
    const run = await settle({ paymentWindowMs: 3 * DAY, bids, winnerId: winner });
    await skip(12 * HOUR);
    await assertRefused(
      run.handle.executeUpdate(offerSecondChanceUpdate, { args: [{}] }),
      SETTLEMENT_REFUSALS.notAwaitingSeller,
    );
    assert.ok(!run.calls().some((c) => c.name === 'makeSecondChanceOffer'));
    assert.equal((await run.handle.query(settlementStateQuery)).phase, 'awaiting_payment');
  },
);

test('when two offer requests arrive at once, then one offer is made and the other is refused', LIMIT, async () => {
  const run = await expiredSettlement();
  const outcomes = await Promise.allSettled([
    run.handle.executeUpdate(offerSecondChanceUpdate, { args: [{}] }),
    run.handle.executeUpdate(offerSecondChanceUpdate, { args: [{}] }),
  ]);

  const made = outcomes.filter((o) => o.status === 'fulfilled');
  assert.equal(made.length, 1, `${made.length} offers made`);
  assertRefusal(theRefused(outcomes), SETTLEMENT_REFUSALS.notAwaitingSeller);
  assert.equal(named(run.calls(), 'makeSecondChanceOffer').length, 1);
  assert.equal([...fake.offers.values()].filter((o) => o.auctionId === run.auctionId).length, 1);
  const state = await run.handle.query(settlementStateQuery);
  assert.equal(state.phase, 'offer_open');
  assert.deepEqual(state.offerIds, [made[0]!.value.id]);
});

test('when the bidder accepts twice at once, then one order is made', LIMIT, async () => {
  const run = await expiredSettlement();
  const offer = await run.handle.executeUpdate(offerSecondChanceUpdate, { args: [{}] });
  await skip(HOUR);
  const accept = { offerId: offer.id, bidderId: offer.bidderId, accept: true };
  const outcomes = await Promise.allSettled([
    run.handle.executeUpdate(answerOfferUpdate, { args: [accept] }),
    run.handle.executeUpdate(answerOfferUpdate, { args: [accept] }),
  ]);

  assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
  assertRefusal(theRefused(outcomes), SETTLEMENT_REFUSALS.offerNotOpen);
  assert.equal(named(run.calls(), 'answerOffer').length, 1);
  const orders = [...fake.orders.values()].filter((o) => o.auctionId === run.auctionId && o.kind === 'second_chance');
  assert.equal(orders.length, 1);
  assert.deepEqual((await run.handle.query(settlementStateQuery)).orderIds, [run.order.id, orders[0]!.id]);
});

test(
  "when an operator's signal comes while no order is awaiting payment, then it does not touch the order a later offer makes",
  LIMIT,
  async () => {
    const run = await expiredSettlement();
    // Meant for the expired order: nothing to pay or cancel now.
    await run.handle.signal(markOrderPaidSignal, { reason: 'sent to the wrong settlement' });
    await run.handle.signal(cancelOrderSignal, { reason: 'sent to the wrong settlement' });
    await skip(HOUR);
    const offer = await run.handle.executeUpdate(offerSecondChanceUpdate, { args: [{}] });
    await skip(HOUR);
    const { order } = await run.handle.executeUpdate(answerOfferUpdate, {
      args: [{ offerId: offer.id, bidderId: offer.bidderId, accept: true }],
    });
    await skip(HOUR);

    const state = await run.handle.query(settlementStateQuery);
    assert.equal(state.phase, 'awaiting_payment');
    assert.equal(state.order?.id, order!.id);
    assert.equal(state.order?.status, 'awaiting_payment');
    assert.equal(fake.orders.get(order!.id)?.status, 'awaiting_payment');
    assert.ok(
      !run.calls().some((c) => c.name === 'markOrderPaidByHand' || c.name === 'cancelOrder'),
      `calls: ${callNames(run.calls()).join(', ')}`,
    );
  },
);

test(
  "when an operator's mark-paid is queued behind a cancel of the same order, then the cancel ends that order and the mark-paid does not reach the order a later offer makes",
  LIMIT,
  async () => {
    const run = await settle({ paymentWindowMs: 3 * DAY, bids, winnerId: winner });
    await skip(12 * HOUR);
    await run.handle.signal(cancelOrderSignal, { reason: 'the buyer asked to withdraw' });
    await run.handle.signal(markOrderPaidSignal, { reason: 'paid by bank transfer' });
    await skip(HOUR);
    const cancelled = await run.handle.query(settlementStateQuery);
    assert.equal(cancelled.phase, 'awaiting_seller');
    assert.equal(cancelled.order?.status, 'cancelled');
    const offer = await run.handle.executeUpdate(offerSecondChanceUpdate, { args: [{}] });
    const { order } = await run.handle.executeUpdate(answerOfferUpdate, {
      args: [{ offerId: offer.id, bidderId: offer.bidderId, accept: true }],
    });
    await skip(HOUR);

    const state = await run.handle.query(settlementStateQuery);
    assert.equal(state.order?.id, order!.id);
    assert.equal(state.order?.status, 'awaiting_payment');
    assert.equal(fake.orders.get(order!.id)?.status, 'awaiting_payment');
    assert.deepEqual(
      callNames(run.calls()).filter((name) => name.startsWith('markOrderPaidByHand') || name.startsWith('cancelOrder')),
      ['cancelOrder:the buyer asked to withdraw'],
    );
  },
);
