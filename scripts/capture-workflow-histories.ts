/**
 * Records histories of the auction, settlement and sale workflows as the code now in workflows/ writes them,
 * for test/workflow-replay.unit.test.ts to replay against every later version (workflows/README.md,
 * "Changing workflow code"):
 *
 *   node --import tsx scripts/capture-workflow-histories.ts [--only sold,paid] [--suffix v2] [--traced]
 *
 * It starts its own in-memory Temporal dev server on a free port (the pinned CLI that setup.sh
 * builds), runs a worker of the real workflow code with fake activities (test/helpers/fake-auction.ts,
 * a small in-memory stand-in for Redis: bids, soft close, buy-now, cancel, close; and
 * test/helpers/fake-settlement.ts for orders and offers, test/helpers/fake-sale.ts for flash sales; the
 * time-skipping workflow tests use them too) and drives each path with real times of a few seconds,
 * checking that each took the path it is named after. A settlement path starts its settlement by itself,
 * as a sold close would, with windows of seconds; a sale path starts a sale with holds of a second or
 * two. Each history is written to test/workflow-histories/<workflow>-<path>[-<suffix>].json
 * (<workflow>: auction, settlement or sale) in the JSON form Temporal's tools download. A history already
 * recorded is never rewritten: the script refuses; capture a new path with --only, or the same paths
 * of a new version with --suffix. It stops its server and exits by itself.
 *
 * --traced records as a worker with tracing on runs (tracing/temporal.ts): the workflows' tracing
 * interceptors put a trace context in the header of every activity they schedule, and the client's in
 * every start and signal, so the history holds them. The replay test then shows that turning tracing off
 * replays them. The spans themselves stay in memory.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Client, Connection, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils.js';
import proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root.js';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { Resource } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import * as prettier from 'prettier';
import { FakeActivities, type FakeAuction } from '../test/helpers/fake-auction.js';
import type { AuctionWorkflowInput, AuctionWorkflowState } from '../domain/auction-workflow.js';
import type { Offer } from '../domain/settlement/offer.js';
import {
  SETTLEMENT_REFUSALS,
  type OfferAnswerResult,
  type SettlementPhase,
  type SettlementState,
} from '../domain/settlement/workflow.js';
import { auctionWorkflowId, SEARCH_ATTRIBUTES, settlementWorkflowId } from '../domain/temporal-names.js';
import type { auctionWorkflow } from '../workflows/auction.js';
import { bidsPendingSignal, cancelSignal, stateQuery } from '../workflows/definitions.js';
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
import type { settlementWorkflow } from '../workflows/settlement/settlement.js';
import type { FakeSaleState } from '../test/helpers/fake-sale.js';
import type { SaleWorkflowInput, SaleWorkflowState } from '../domain/sales/workflow.js';
import { saleWorkflowId } from '../domain/temporal-names.js';
import { cancelSaleSignal, claimsPendingSignal, saleOrderPaidSignal } from '../workflows/sales/definitions.js';
import type { saleWorkflow } from '../workflows/sales/sale.js';
import type { promotionFiringWorkflow } from '../workflows/promotions/firing.js';
import { promotionFiringWorkflowId } from '../domain/temporal-names.js';
import { startChild, stopChild } from './stack/child.js';
import { temporalCli } from './stack/profiles.js';
import { waitUntilReady } from './stack/wait.js';
import type { Tracing } from '../tracing/start.js';
import { clientTracing, workerTracing } from '../tracing/temporal.js';
import { workflowSource } from '../worker/workflow-source.js';

const historiesDir = fileURLToPath(new URL('../test/workflow-histories/', import.meta.url));
const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
/**
 * The server suggests continuing as new after this many events (its default is 4,096, hours of a hot
 * auction), so one path can record the hand-over in seconds. Every other path stays well below it.
 */
const SUGGEST_CONTINUE_AS_NEW_AFTER = 250;
const SCENARIO_DEADLINE_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function until(what: string, done: () => boolean | Promise<boolean>, withinMs = 20_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/**
 * The activities, each typed as the real one, answering from fake auctions (a small stand-in for Redis)
 * and a fake settlement: each takes a few real milliseconds, as the real ones would.
 */
const fakes = new FakeActivities({ latency: 'io' });

// --- Driving one auction ---

type AuctionHandle = WorkflowHandleWithFirstExecutionRunId<typeof auctionWorkflow>;

interface AuctionPlan {
  startInMs: number;
  runForMs: number;
  reservePrice?: number | null;
  softCloseWindowMs?: number;
  softCloseExtendMs?: number;
}

class Driver {
  readonly auction: FakeAuction;
  readonly handle: Promise<AuctionHandle>;
  private readonly bidders = [randomUUID(), randomUUID(), randomUUID()];

  constructor(
    readonly client: Client,
    private readonly taskQueue: string,
    plan: AuctionPlan,
  ) {
    const startsAtMs = Date.now() + plan.startInMs;
    this.auction = fakes.add({
      startsAtMs,
      endsAtMs: startsAtMs + plan.runForMs,
      reservePrice: plan.reservePrice ?? null,
      softCloseWindowMs: plan.softCloseWindowMs ?? 0,
      softCloseExtendMs: plan.softCloseExtendMs ?? 0,
    });
    const input: AuctionWorkflowInput = {
      auctionId: this.auction.id,
      sellerId: this.auction.sellerId,
      startsAt: new Date(startsAtMs).toISOString(),
      endsAt: new Date(this.auction.endsAtMs).toISOString(),
    };
    this.handle = client.workflow.start<typeof auctionWorkflow>('auctionWorkflow', {
      workflowId: auctionWorkflowId(this.auction.id),
      taskQueue: this.taskQueue,
      args: [input],
    });
  }

  get workflowId(): string {
    return auctionWorkflowId(this.auction.id);
  }

  /** Its activity calls so far, as `name` or `name:detail`. */
  calls(): string[] {
    return fakes.callNames(this.auction.id);
  }

  /** The winner's order, which a sold close opens (the result names it). */
  orderId(): string | undefined {
    return [...fakes.settlement.orders.values()].find((o) => o.auctionId === this.auction.id)?.id;
  }

  async opened(): Promise<void> {
    await until(`${this.workflowId} to open`, () => this.calls().includes('recordAuctionStatus:open'));
  }

  async persistedAll(): Promise<void> {
    await until(`${this.workflowId} to persist seq ${this.auction.seq}`, () => {
      return this.auction.persistedSeq >= this.auction.seq;
    });
  }

  /**
   * A bid accepted in Redis: the next seq, the price up, and within the soft-close window the end
   * moved later. `signal: false` is a bid whose API process died before its bidsPending signal.
   */
  async bid(amount: number, { signal = true } = {}): Promise<void> {
    const now = Date.now();
    assert.ok(now < this.auction.endsAtMs, `${this.workflowId}: a bid after the end (the scenario ran late)`);
    const bidder = this.bidders[(this.auction.seq + 1) % this.bidders.length]!;
    const pending = fakes.bid(this.auction.id, amount, bidder, now);
    if (signal) await (await this.handle).signal(bidsPendingSignal, pending);
  }

  /** A buy-now: the last bid, at the buy-now price, ends the auction now in Redis. */
  buyNow(price: number): void {
    fakes.buyNow(this.auction.id, price, this.bidders[0]!, Date.now());
  }

  async cancel(reason: string): Promise<void> {
    await (await this.handle).signal(cancelSignal, { reason });
  }

  async result(): Promise<AuctionWorkflowState> {
    return (await this.handle).result();
  }
}

// --- Driving one settlement ---

type SettlementHandle = WorkflowHandleWithFirstExecutionRunId<typeof settlementWorkflow>;

interface SettlementPlan {
  /** Whole seconds: the auction's paymentWindowSeconds, for the winner's order and any accepted offer's. */
  paymentWindowMs: number;
  /** How many bidders are behind the winner: the offers go to them in this order. */
  runnersUp?: number;
  autoSecondChance?: boolean;
  offerWindowMs?: number;
  sellerDecisionMs?: number;
}

/**
 * A settlement started as a sold close starts it (the winner's order made in the fake, the workflow
 * given its clock), and what its parties and operators do to it: the webhook's payment and signal, the
 * seller's and the bidder's updates, the operators' signals.
 */
class SettlementDriver {
  readonly auctionId = randomUUID();
  readonly winnerId = randomUUID();
  /** The bidders behind the winner, highest maximum first. */
  readonly runnersUp: string[];
  /** The winner's order. */
  readonly orderId: string;
  readonly handle: Promise<SettlementHandle>;

  constructor(client: Client, taskQueue: string, plan: SettlementPlan) {
    this.runnersUp = Array.from({ length: plan.runnersUp ?? 0 }, () => randomUUID());
    const bids = [
      ...this.runnersUp.map((bidderId, i) => ({ bidderId, maxAmount: 900 - 100 * i, seq: i + 1 })),
      { bidderId: this.winnerId, maxAmount: 1000, seq: this.runnersUp.length + 1 },
    ];
    const { order, input } = fakes.settlement.soldClose({
      auctionId: this.auctionId,
      winnerId: this.winnerId,
      hammerPrice: 1000,
      paymentWindowSeconds: plan.paymentWindowMs / 1000,
      autoSecondChance: plan.autoSecondChance,
      bids,
      offerWindowSeconds: (plan.offerWindowMs ?? 60_000) / 1000,
      sellerDecisionSeconds: (plan.sellerDecisionMs ?? 60_000) / 1000,
    });
    this.orderId = order.id;
    this.handle = client.workflow.start<typeof settlementWorkflow>('settlementWorkflow', {
      workflowId: settlementWorkflowId(this.auctionId),
      taskQueue,
      args: [input],
    });
  }

  get workflowId(): string {
    return settlementWorkflowId(this.auctionId);
  }

  async state(): Promise<SettlementState> {
    return (await this.handle).query(settlementStateQuery);
  }

  async reached(phase: SettlementPhase): Promise<SettlementState> {
    let state: SettlementState | undefined;
    await until(`${this.workflowId} to reach ${phase}`, async () => (state = await this.state()).phase === phase);
    return state!;
  }

  /** The webhook: the payment applied in Postgres (with the seller's payout), then the signal. */
  async pay(orderId: string): Promise<void> {
    assert.equal(fakes.settlement.pay(orderId), 'paid', `${this.workflowId}: order ${orderId} was not payable`);
    await (await this.handle).signal(orderChangedSignal, { orderId });
  }

  /** The seller's second-chance offer (with its window, or the settlement's). */
  async offer(offerWindowMs?: number): Promise<Offer> {
    const request = offerWindowMs === undefined ? {} : { offerWindowSeconds: offerWindowMs / 1000 };
    return (await this.handle).executeUpdate(offerSecondChanceUpdate, { args: [request] });
  }

  async answer(offer: Offer, accept: boolean): Promise<OfferAnswerResult> {
    const answer = { offerId: offer.id, bidderId: offer.bidderId, accept };
    return (await this.handle).executeUpdate(answerOfferUpdate, { args: [answer] });
  }

  async result(): Promise<SettlementState> {
    return (await this.handle).result();
  }
}

// --- Driving one sale ---

type SaleHandle = WorkflowHandleWithFirstExecutionRunId<typeof saleWorkflow>;

interface SalePlan {
  startInMs: number;
  /** null: open until sold out or cancelled. */
  runForMs: number | null;
  stock: number;
  holdMs: number;
  perUserLimit?: number;
}

/** A sale made by the API (its state in the fake) and its workflow, and what buyers and the webhook do to it. */
class SaleDriver {
  readonly sale: FakeSaleState;
  readonly handle: Promise<SaleHandle>;

  constructor(
    readonly client: Client,
    taskQueue: string,
    plan: SalePlan,
  ) {
    const startsAtMs = Date.now() + plan.startInMs;
    this.sale = fakes.sales.add({
      startsAtMs,
      endsAtMs: plan.runForMs === null ? null : startsAtMs + plan.runForMs,
      stock: plan.stock,
      holdMs: plan.holdMs,
      perUserLimit: plan.perUserLimit,
    });
    const input: SaleWorkflowInput = {
      saleId: this.sale.id,
      sellerId: this.sale.sellerId,
      startsAt: new Date(startsAtMs).toISOString(),
      endsAt: this.sale.endsAtMs === null ? null : new Date(this.sale.endsAtMs).toISOString(),
    };
    this.handle = client.workflow.start<typeof saleWorkflow>('saleWorkflow', {
      workflowId: saleWorkflowId(this.sale.id),
      taskQueue,
      args: [input],
    });
  }

  get workflowId(): string {
    return saleWorkflowId(this.sale.id);
  }

  async opened(): Promise<void> {
    await until(`${this.workflowId} to open`, () => this.sale.calls.some((c) => c.name === 'openSale'));
  }

  /** A claim the API accepted, and the signal its wake flag asks for. */
  async claim(quantity = 1, userId = randomUUID()): Promise<{ orderId: string }> {
    const held = fakes.sales.claim(this.sale.id, userId, quantity, Date.now());
    assert.ok(held, `${this.workflowId}: the claim was refused`);
    await (await this.handle).signal(claimsPendingSignal, { seq: held.seq, holdExpiresAtMs: held.holdExpiresAtMs });
    return held;
  }

  async persisted(): Promise<void> {
    await until(`${this.workflowId} to persist seq ${this.sale.seq}`, () => this.sale.persistedSeq >= this.sale.seq);
  }

  /** The webhook: the payment applied in Postgres, then the signal. */
  async pay(orderId: string): Promise<void> {
    assert.equal(fakes.sales.pay(orderId), 'paid', `${this.workflowId}: order ${orderId} was not payable`);
    await (await this.handle).signal(saleOrderPaidSignal, { orderId });
  }

  async cancel(reason: string): Promise<void> {
    await (await this.handle).signal(cancelSaleSignal, { reason });
  }

  async result(): Promise<SaleWorkflowState> {
    return (await this.handle).result();
  }
}

// --- The paths ---

interface Recorded {
  /** The file name's <path> part. */
  name: string;
  workflowId: string;
  runId: string;
}

interface Scenario {
  name: string;
  /** The workflow it records, the file name's <workflow> part: auction unless said. */
  workflow?: 'settlement' | 'sale' | 'promotion';
  /** The <path> of each history it records, when not just its name. */
  records?: string[];
  run(
    driver: (plan: AuctionPlan) => Driver,
    settlement: (plan: SettlementPlan) => SettlementDriver,
    sale: (plan: SalePlan) => SaleDriver,
    promotion: (promotionId: string) => Promise<WorkflowHandleWithFirstExecutionRunId>,
  ): Promise<Recorded[]>;
}

const recordedRun = async (
  name: string,
  driver: { handle: Promise<WorkflowHandleWithFirstExecutionRunId> },
): Promise<Recorded[]> => {
  const handle = await driver.handle;
  return [{ name, workflowId: handle.workflowId, runId: handle.firstExecutionRunId }];
};

/** Rejects as the settlement refused the update, with this refusal. */
const refusedAs = (refusal: string) => (error: unknown) => {
  const cause = (error as { cause?: { type?: string } }).cause;
  assert.equal(cause?.type, refusal, `refused otherwise: ${String(error)}`);
  return true;
};

const scenarios: Scenario[] = [
  {
    name: 'sold',
    async run(start) {
      const d = start({ startInMs: 1000, runForMs: 4000 });
      const handle = await d.handle;
      assert.equal((await handle.query(stateQuery)).status, 'scheduled');
      await d.opened();
      for (const amount of [100, 120, 150, 175]) {
        await d.bid(amount);
        await sleep(350);
      }
      const state = await d.result();
      assert.equal(state.status, 'closed');
      assert.deepEqual(state.result, {
        outcome: 'sold',
        winnerId: d.auction.leaderId,
        finalPrice: 175,
        orderId: d.orderId(),
      });
      assert.equal(state.persistedSeq, 4);
      return recordedRun('sold', d);
    },
  },
  {
    name: 'soft-close',
    async run(start) {
      const d = start({ startInMs: 1000, runForMs: 3500, softCloseWindowMs: 1500, softCloseExtendMs: 2500 });
      await d.opened();
      await d.bid(100); // outside the window
      await sleep(d.auction.endsAtMs - 1000 - Date.now());
      await d.bid(120); // inside: the end moves, and the signal says so
      await sleep(d.auction.endsAtMs - 900 - Date.now());
      await d.bid(150, { signal: false }); // inside again, signal lost: the close answers the later end
      const state = await d.result();
      assert.equal(state.status, 'closed');
      assert.equal(state.result?.outcome, 'sold');
      assert.equal(state.persistedSeq, 3);
      assert.ok(d.auction.closeAnsweredOpen >= 1, 'the close never answered a later end');
      return recordedRun('soft-close', d);
    },
  },
  {
    name: 'buy-now',
    async run(start) {
      const d = start({ startInMs: 1000, runForMs: 20_000 });
      await d.opened();
      await d.bid(100);
      await sleep(300);
      d.buyNow(900);
      // The buy-now's signal says the end is now: the auction closes long before its planned end.
      await (await d.handle).signal(bidsPendingSignal, { seq: d.auction.seq, endsAtMs: d.auction.endsAtMs });
      const state = await d.result();
      assert.equal(state.status, 'closed');
      assert.deepEqual(state.result, {
        outcome: 'sold',
        winnerId: d.auction.leaderId,
        finalPrice: 900,
        orderId: d.orderId(),
      });
      assert.equal(state.persistedSeq, 2);
      return recordedRun('buy-now', d);
    },
  },
  {
    name: 'cancelled-scheduled',
    async run(start) {
      const d = start({ startInMs: 4000, runForMs: 3000 });
      await sleep(800);
      await d.cancel('withdrawn by the seller');
      const state = await d.result();
      assert.equal(state.status, 'cancelled');
      assert.equal(state.cancelReason, 'withdrawn by the seller');
      assert.ok(!d.calls().includes('recordAuctionStatus:open'));
      return recordedRun('cancelled-scheduled', d);
    },
  },
  {
    name: 'cancelled-open',
    async run(start) {
      const d = start({ startInMs: 1000, runForMs: 20_000 });
      await d.opened();
      for (const amount of [100, 110, 130]) {
        await d.bid(amount);
        await sleep(300);
      }
      await d.persistedAll();
      await d.cancel('item damaged');
      const state = await d.result();
      assert.equal(state.status, 'cancelled');
      assert.equal(state.persistedSeq, 3);
      assert.ok(d.calls().includes('cancelBidding'));
      return recordedRun('cancelled-open', d);
    },
  },
  {
    name: 'cancel-lost-race',
    async run(start) {
      const d = start({ startInMs: 1000, runForMs: 20_000 });
      await d.opened();
      await d.bid(100);
      await sleep(300);
      await d.bid(140);
      await d.persistedAll();
      await sleep(300);
      d.buyNow(500); // its signal never arrives
      await d.cancel('cancelled by ops');
      const state = await d.result();
      assert.equal(state.status, 'closed');
      assert.equal(state.cancelReason, null);
      assert.deepEqual(state.result, {
        outcome: 'sold',
        winnerId: d.auction.leaderId,
        finalPrice: 500,
        orderId: d.orderId(),
      });
      assert.equal(state.persistedSeq, 3);
      return recordedRun('cancel-lost-race', d);
    },
  },
  {
    name: 'cancelled-in-redis',
    async run(start) {
      const d = start({ startInMs: 1000, runForMs: 3000 });
      await d.opened();
      await d.bid(100);
      await d.persistedAll();
      d.auction.status = 'cancelled'; // the API cancelled in Redis; its signal never arrives
      const state = await d.result();
      assert.equal(state.status, 'cancelled');
      assert.ok(d.calls().includes('cancelBidding'));
      return recordedRun('cancelled-in-redis', d);
    },
  },
  {
    name: 'unsold',
    async run(start) {
      const d = start({ startInMs: 1000, runForMs: 2000 });
      const state = await d.result();
      assert.deepEqual(state.result, { outcome: 'unsold', winnerId: null, finalPrice: null });
      return recordedRun('unsold', d);
    },
  },
  {
    name: 'reserve-not-met',
    async run(start) {
      const d = start({ startInMs: 1000, runForMs: 3000, reservePrice: 500 });
      await d.opened();
      await d.bid(100);
      await sleep(300);
      await d.bid(150);
      const state = await d.result();
      assert.deepEqual(state.result, { outcome: 'reserve_not_met', winnerId: null, finalPrice: null });
      return recordedRun('reserve-not-met', d);
    },
  },
  {
    name: 'continue-as-new',
    records: ['continue-as-new-first-run', 'continue-as-new-second-run'],
    async run(start) {
      const d = start({ startInMs: 1000, runForMs: 60_000 });
      const { firstExecutionRunId } = await d.handle;
      const firstRun = d.client.workflow.getHandle(d.workflowId, firstExecutionRunId);
      await d.opened();
      let amount = 100;
      // Bids keep it persisting until the server suggests continuing as new.
      while ((await firstRun.describe()).status.name === 'RUNNING') {
        await d.bid((amount += 5));
        await sleep(260);
      }
      assert.equal((await firstRun.describe()).status.name, 'CONTINUED_AS_NEW');
      await sleep(500);
      await d.bid((amount += 5));
      await d.persistedAll();
      d.buyNow(amount + 1000);
      // The buy-now's signal arrives: the second run learns of the new end from it and closes.
      const latest = d.client.workflow.getHandle<typeof auctionWorkflow>(d.workflowId);
      await latest.signal(bidsPendingSignal, { seq: d.auction.seq, endsAtMs: d.auction.endsAtMs });
      const state = await latest.result();
      assert.equal(state.status, 'closed');
      assert.equal(state.result?.outcome, 'sold');
      const { runId } = await latest.describe();
      assert.notEqual(runId, firstExecutionRunId);
      return [
        { name: 'continue-as-new-first-run', workflowId: d.workflowId, runId: firstExecutionRunId },
        { name: 'continue-as-new-second-run', workflowId: d.workflowId, runId },
      ];
    },
  },
  // --- The settlement's paths ---
  {
    name: 'paid',
    workflow: 'settlement',
    async run(_, settle) {
      const s = settle({ paymentWindowMs: 4000 });
      // The reminder at half the window, then the payment.
      await until(`${s.workflowId} to remind`, async () => (await s.state()).remindersSent.length === 1);
      await s.pay(s.orderId);
      const state = await s.result();
      assert.equal(state.phase, 'paid');
      assert.ok(
        fakes.settlement.payouts.some((p) => p.orderId === s.orderId),
        'no payout recorded',
      );
      return recordedRun('paid', s);
    },
  },
  {
    name: 'offer-accepted',
    workflow: 'settlement',
    async run(_, settle) {
      const s = settle({ paymentWindowMs: 3000, runnersUp: 2, offerWindowMs: 20_000, sellerDecisionMs: 20_000 });
      const expired = await s.reached('awaiting_seller');
      assert.equal(expired.order?.status, 'expired');
      const offer = await s.offer();
      assert.deepEqual([offer.bidderId, offer.amount], [s.runnersUp[0], 900]);
      const { order } = await s.answer(offer, true);
      assert.equal(order?.kind, 'second_chance');
      await s.pay(order.id);
      const state = await s.result();
      assert.equal(state.phase, 'paid');
      assert.deepEqual(state.orderIds, [s.orderId, order.id]);
      return recordedRun('offer-accepted', s);
    },
  },
  {
    name: 'offer-declined-then-expired',
    workflow: 'settlement',
    async run(_, settle) {
      const s = settle({ paymentWindowMs: 1000, runnersUp: 2, sellerDecisionMs: 3000 });
      await s.reached('awaiting_seller');
      const first = await s.offer();
      assert.equal((await s.answer(first, false)).offer.status, 'declined');
      const second = await s.offer(1000);
      assert.equal(second.bidderId, s.runnersUp[1]);
      const expired = await s.reached('awaiting_seller');
      assert.equal(expired.offer?.status, 'expired');
      await assert.rejects(s.offer(), refusedAs(SETTLEMENT_REFUSALS.noCandidate));
      // The seller lets the decision time pass.
      const state = await s.result();
      assert.equal(state.phase, 'closed');
      assert.deepEqual(state.offerIds, [first.id, second.id]);
      return recordedRun('offer-declined-then-expired', s);
    },
  },
  {
    name: 'auto-offers-expire',
    workflow: 'settlement',
    async run(_, settle) {
      const s = settle({ paymentWindowMs: 1000, runnersUp: 2, autoSecondChance: true, offerWindowMs: 1000 });
      const state = await s.result();
      assert.equal(state.phase, 'closed');
      const offers = state.offerIds.map((id) => fakes.settlement.offers.get(id)!);
      assert.deepEqual(
        offers.map((o) => [o.bidderId, o.status]),
        s.runnersUp.map((bidderId) => [bidderId, 'expired']),
      );
      return recordedRun('auto-offers-expire', s);
    },
  },
  {
    name: 'ops-cancel-relist',
    workflow: 'settlement',
    async run(_, settle) {
      const s = settle({ paymentWindowMs: 20_000, sellerDecisionMs: 20_000 });
      await sleep(300);
      await (await s.handle).signal(cancelOrderSignal, { reason: 'the lot was damaged in storage' });
      const cancelled = await s.reached('awaiting_seller');
      assert.equal(cancelled.order?.status, 'cancelled');
      await (await s.handle).executeUpdate(relistUpdate, { args: [] });
      const state = await s.result();
      assert.equal(state.phase, 'closed');
      assert.ok(!fakes.settlement.strikes.includes(s.winnerId), 'a strike for a cancelled order');
      return recordedRun('ops-cancel-relist', s);
    },
  },
  {
    name: 'ops-extend-mark-paid',
    workflow: 'settlement',
    async run(_, settle) {
      const s = settle({ paymentWindowMs: 2000 });
      const handle = await s.handle;
      await sleep(300);
      const oldPayBy = Date.parse(fakes.settlement.orders.get(s.orderId)!.payBy);
      const payBy = new Date(oldPayBy + 3000).toISOString();
      await handle.signal(extendPayBySignal, { payBy, reason: 'the buyer is abroad' });
      // The new window's reminder (at its half, after the old payBy), and no expiry at the old payBy.
      await until(`${s.workflowId} to remind`, async () => (await s.state()).remindersSent.length === 1);
      const extended = await s.state();
      assert.ok(Date.now() > oldPayBy, 'reminded before the old payBy');
      assert.equal(extended.phase, 'awaiting_payment');
      assert.equal(extended.order?.payBy, payBy);
      await handle.signal(markOrderPaidSignal, { reason: 'paid by bank transfer' });
      const state = await s.result();
      assert.equal(state.phase, 'paid');
      assert.ok(
        fakes.settlement.payouts.some((p) => p.orderId === s.orderId),
        'no payout recorded',
      );
      return recordedRun('ops-extend-mark-paid', s);
    },
  },
  {
    name: 'ops-signal-between-orders',
    workflow: 'settlement',
    async run(_, settle) {
      const s = settle({ paymentWindowMs: 1000, runnersUp: 1, offerWindowMs: 20_000, sellerDecisionMs: 20_000 });
      await s.reached('awaiting_seller');
      // Sent while no order awaits payment: it must not reach the order the next offer makes.
      await (await s.handle).signal(markOrderPaidSignal, { reason: 'sent to the wrong settlement' });
      await sleep(300);
      const offer = await s.offer();
      const { order } = await s.answer(offer, true);
      assert.equal(order?.kind, 'second_chance');
      await sleep(300);
      const accepted = await s.state();
      assert.equal(accepted.phase, 'awaiting_payment');
      assert.equal(accepted.order?.status, 'awaiting_payment', 'the signal reached the next order');
      await s.pay(order.id);
      const state = await s.result();
      assert.equal(state.phase, 'paid');
      return recordedRun('ops-signal-between-orders', s);
    },
  },
  // --- The promoter's path: a schedule's firing, one activity ---
  {
    name: 'fired',
    workflow: 'promotion',
    async run(_, __, ___, fire) {
      const promotionId = randomUUID();
      const handle = await fire(promotionId);
      assert.equal(await handle.result(), 'doubled');
      assert.ok(
        fakes.firings.some((firing) => firing.promotionId === promotionId && firing.firingId === handle.workflowId),
      );
      return recordedRun('fired', { handle: Promise.resolve(handle) });
    },
  },
  // --- The sale's paths ---
  {
    name: 'sold-out-expired-waitlist',
    workflow: 'sale',
    async run(_, __, start) {
      const d = start({ startInMs: 1000, runForMs: 30_000, stock: 2, holdMs: 2000 });
      await d.opened();
      const ann = await d.claim();
      const ben = await d.claim();
      await d.persisted();
      const cat = randomUUID();
      assert.ok(fakes.sales.joinWaitlist(d.sale.id, cat, 1), 'the waitlist refused');
      await sleep(300);
      await d.pay(ben.orderId);
      // ann lets her hold expire: its unit goes to cat, who pays; the sale is sold out and ends.
      let catOrder: string | undefined;
      await until(`${d.workflowId} to offer the unit`, () => {
        catOrder = [...fakes.sales.orders.values()].find((o) => o.buyerId === cat)?.id;
        return catOrder !== undefined;
      });
      assert.equal(fakes.sales.orders.get(ann.orderId)?.status, 'expired');
      await sleep(300);
      await d.pay(catOrder!);
      const state = await d.result();
      assert.equal(state.phase, 'open');
      assert.deepEqual(state.counts, { available: 0, held: 0, sold: 2 });
      return recordedRun('sold-out-expired-waitlist', d);
    },
  },
  {
    name: 'cancelled',
    workflow: 'sale',
    async run(_, __, start) {
      const d = start({ startInMs: 1000, runForMs: 30_000, stock: 4, holdMs: 20_000 });
      await d.opened();
      await d.claim();
      const paid = await d.claim();
      await d.persisted();
      await d.pay(paid.orderId);
      await sleep(300);
      await d.claim(); // its persist may not have come before the cancel: the cancel's own does
      await d.cancel('the stock was damaged');
      const state = await d.result();
      assert.equal(state.phase, 'cancelled');
      assert.deepEqual(state.counts, { available: 3, held: 0, sold: 1 });
      return recordedRun('cancelled', d);
    },
  },
  {
    name: 'closed',
    workflow: 'sale',
    async run(_, __, start) {
      const d = start({ startInMs: 1000, runForMs: 2500, stock: 3, holdMs: 3000 });
      await d.opened();
      await d.claim();
      // The end comes while the hold is open: the run closes the sale, then waits for the hold.
      const state = await d.result();
      assert.equal(state.phase, 'closed');
      assert.deepEqual(state.counts, { available: 3, held: 0, sold: 0 });
      assert.ok(d.sale.calls.some((c) => c.name === 'settleDueHolds'));
      return recordedRun('closed', d);
    },
  },
  {
    name: 'sale-continue-as-new',
    workflow: 'sale',
    records: ['continue-as-new-first-run', 'continue-as-new-second-run'],
    async run(_, __, start) {
      const d = start({ startInMs: 1000, runForMs: null, stock: 500, holdMs: 1500 });
      const { firstExecutionRunId } = await d.handle;
      const firstRun = d.client.workflow.getHandle(d.workflowId, firstExecutionRunId);
      await d.opened();
      // Claims keep it persisting and their holds expiring until the server suggests continuing as new.
      while ((await firstRun.describe()).status.name === 'RUNNING') {
        await d.claim();
        await sleep(300);
      }
      assert.equal((await firstRun.describe()).status.name, 'CONTINUED_AS_NEW');
      const held = await d.claim();
      await d.persisted();
      await d.pay(held.orderId);
      await sleep(2000); // the other holds expire in the second run
      await d.cancel('test over');
      const latest = d.client.workflow.getHandle<typeof saleWorkflow>(d.workflowId);
      const state = await latest.result();
      assert.equal(state.phase, 'cancelled');
      assert.equal(state.counts?.sold, 1);
      assert.equal(state.counts?.held, 0);
      const { runId } = await latest.describe();
      assert.notEqual(runId, firstExecutionRunId);
      return [
        { name: 'continue-as-new-first-run', workflowId: d.workflowId, runId: firstExecutionRunId },
        { name: 'continue-as-new-second-run', workflowId: d.workflowId, runId },
      ];
    },
  },
];

// --- The server, the worker, the files ---

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** An in-memory dev server with the auction search attributes, as scripts/stack/temporal.ts starts one. */
async function startServer(port: number, logFile: string) {
  if (!fs.existsSync(temporalCli)) throw new Error(`${temporalCli} is missing (scripts/setup.sh builds it)`);
  const argv = [temporalCli, 'server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--headless'];
  argv.push('--namespace', 'default', '--log-level', 'warn');
  for (const { name, type } of Object.values(SEARCH_ATTRIBUTES)) argv.push('--search-attribute', `${name}=${type}`);
  argv.push('--dynamic-config-value', `limit.historyCount.suggestContinueAsNew=${SUGGEST_CONTINUE_AS_NEW_AFTER}`);
  const child = startChild({ name: 'temporal', argv, logFile });
  // Its own process group (startChild), so a Ctrl-C here would not reach it: stop it on the way out.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stopChild(child, 'SIGTERM', 5000).finally(() => process.exit(130)));
  }
  try {
    await waitUntilReady(
      child,
      async () => {
        const connection = await Connection.connect({ address: `127.0.0.1:${port}`, connectTimeout: 1000 });
        try {
          await connection.workflowService.getSystemInfo({});
        } finally {
          await connection.close();
        }
      },
      60_000,
    );
  } catch (error) {
    await stopChild(child, 'SIGKILL', 5000);
    throw error;
  }
  return child;
}

function fileFor(scenario: Scenario, name: string, suffix: string | undefined): string {
  return path.join(historiesDir, `${scenario.workflow ?? 'auction'}-${name}${suffix ? `-${suffix}` : ''}.json`);
}

/**
 * `historyToJSON` of @temporalio/common, with the protobufjs copy that @temporalio/proto's types come
 * from: in this install npm keeps one copy of protobufjs 8 per Temporal package (protobufjs 7 of
 * @grpc/proto-loader is the hoisted one), and the SDK's own function then throws "type must be a
 * Type". Same output: the proto3 JSON that Temporal's tools download and the replayer reads.
 */
function historyToJSON(history: History): string {
  const fromProto = createRequire(createRequire(import.meta.url).resolve('@temporalio/proto'));
  const { toJson } = fromProto('protobufjs/ext/protojson') as { toJson: (type: unknown, message: unknown) => unknown };
  const root = patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown };
  const historyType = root.lookupType('temporal.api.history.v1.History');
  return JSON.stringify(toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history)), null, 2);
}

async function writeHistory(file: string, history: History): Promise<void> {
  const options = (await prettier.resolveConfig(file)) ?? {};
  const text = await prettier.format(historyToJSON(history), { ...options, filepath: file });
  fs.writeFileSync(file, text, { flag: 'wx' }); // never over a recorded history
}

/** Tracing on, as tracing/start.ts turns it on, with the spans kept in memory instead of exported. */
function tracingInMemory(): Tracing {
  const resource = Resource.default();
  const spanProcessor = new SimpleSpanProcessor(new InMemorySpanExporter());
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  return { spanProcessor, resource, shutdown: () => provider.shutdown() };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { only: { type: 'string' }, suffix: { type: 'string' }, traced: { type: 'boolean' } },
  });
  // --only names paths, not files: an auction path and a settlement path never share a name.
  assert.equal(new Set(scenarios.map((s) => s.name)).size, scenarios.length, 'two paths of one name');
  const only = values.only?.split(',').map((name) => name.trim());
  const unknown = only?.filter((name) => !scenarios.some((s) => s.name === name)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown path(s) ${unknown.join(', ')}`);
  if (values.suffix !== undefined && !/^[a-z0-9][a-z0-9.-]*$/.test(values.suffix)) {
    throw new Error('--suffix takes lowercase letters, digits, dots and dashes');
  }
  const chosen = scenarios.filter((s) => !only || only.includes(s.name));
  fs.mkdirSync(historiesDir, { recursive: true });
  const taken = chosen
    .flatMap((s) => (s.records ?? [s.name]).map((name) => fileFor(s, name, values.suffix)))
    .filter((file) => fs.existsSync(file))
    .map((file) => path.basename(file));
  if (taken.length > 0) {
    throw new Error(
      `already recorded, and recorded histories are never rewritten: ${taken.join(', ')}\n` +
        'capture new paths with --only <path,...>, or this version of the same paths with --suffix <version>',
    );
  }

  const started = Date.now();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gavel-capture-'));
  const port = await freePort();
  const server = await startServer(port, path.join(logDir, 'temporal.log'));
  process.stdout.write(`temporal dev server on 127.0.0.1:${port} (log ${logDir}/temporal.log)\n`);
  let nativeConnection: NativeConnection | undefined;
  let connection: Connection | undefined;
  try {
    nativeConnection = await NativeConnection.connect({ address: `127.0.0.1:${port}` });
    connection = await Connection.connect({ address: `127.0.0.1:${port}` });
    const tracing = values.traced ? tracingInMemory() : null;
    const client = new Client({ connection, interceptors: clientTracing(tracing !== null) });
    const taskQueue = `capture-${randomUUID()}`;
    const traced = workerTracing(tracing);
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      // The development source, traced when asked: the workflows with their tracing interceptors.
      workflowsPath,
      interceptors: {
        ...workflowSource({ NODE_ENV: 'development' }, tracing !== null).interceptors,
        ...traced.interceptors,
      },
      sinks: traced.sinks,
      activities: fakes.activities,
    });
    process.stdout.write(`worker ready after ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    const recorded = await worker.runUntil(async () => {
      const runs = chosen.map(async (scenario) => {
        const scenarioStarted = Date.now();
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          const late = new Error(`path ${scenario.name} took longer than ${SCENARIO_DEADLINE_MS / 1000} s`);
          timer = setTimeout(() => reject(late), SCENARIO_DEADLINE_MS);
        });
        const driving = scenario.run(
          (plan) => new Driver(client, taskQueue, plan),
          (plan) => new SettlementDriver(client, taskQueue, plan),
          (plan) => new SaleDriver(client, taskQueue, plan),
          // As a schedule starts it: the schedule's workflow id with the firing time appended.
          (promotionId) =>
            client.workflow.start<typeof promotionFiringWorkflow>('promotionFiringWorkflow', {
              taskQueue,
              workflowId: `${promotionFiringWorkflowId(promotionId)}-${new Date().toISOString()}`,
              args: [{ promotionId }],
            }),
        );
        const runs = await Promise.race([driving, timeout]).finally(() => clearTimeout(timer));
        process.stdout.write(`  ${scenario.name}: ${((Date.now() - scenarioStarted) / 1000).toFixed(1)} s\n`);
        return runs.map((run) => ({ ...run, file: fileFor(scenario, run.name, values.suffix) }));
      });
      return (await Promise.all(runs)).flat();
    });
    assert.deepEqual(
      recorded.map((r) => r.name),
      chosen.flatMap((s) => s.records ?? [s.name]),
    );
    for (const { name, workflowId, runId, file } of recorded) {
      const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
      const events = history.events ?? [];
      const last = events[events.length - 1];
      const closed =
        last?.workflowExecutionCompletedEventAttributes ?? last?.workflowExecutionContinuedAsNewEventAttributes;
      assert.ok(closed, `${name}: the history does not end in completion or continue-as-new`);
      await writeHistory(file, history);
      process.stdout.write(`${path.relative(process.cwd(), file)}: ${events.length} events\n`);
    }
  } finally {
    await connection?.close();
    await nativeConnection?.close();
    await stopChild(server, 'SIGTERM', 10_000);
  }
  fs.rmSync(logDir, { recursive: true, force: true }); // kept when anything failed
  process.stdout.write(`captured in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

await main();
