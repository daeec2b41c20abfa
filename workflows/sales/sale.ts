/**
 * One flash sale's life: scheduled → open at startsAt → closed at endsAt (or cancelled, or sold out),
 * and, until its last hold has ended, every hold's expiry. Redis decides claims and keeps the holds
 * (lua/sale-store.ts); Postgres keeps their orders and decides each one's fate; this workflow owns the
 * clock. docs/sales.md.
 *
 * Why it is built so:
 * - The timers live here, in Temporal, not in Redis or a cron: a worker killed anywhere loses none, and
 *   a deploy picks them up where they were.
 * - Its history stays bounded however busy the sale. Holds live in a sorted set scored by their
 *   expiry, and this workflow keeps one timer, for the earliest: each expiry run ends every hold then
 *   due, and runs start at least MIN_EXPIRY_RUN_GAP_MS (1 s) apart, so a thousand holds expiring over a
 *   minute cost about sixty runs, not a thousand timers. Claims wake it through a flag that coalesces
 *   them (one signal per SALE_WAKE_TTL_MS) and persist runs start SALE_MIN_PERSIST_INTERVAL_MS apart.
 *   Past SALE_HISTORY_EVENTS_BEFORE_CONTINUE events it continues as new, carrying where it stands.
 * - Each hold ends exactly once: its order's row lock in Postgres decides between the payment (the
 *   webhook's conditional update) and the expiry (this workflow's), and Redis ends the hold only as the
 *   row says, removing it from the sorted set once (ZREM in settle-holds.lua). Every activity can
 *   repeat after a crash and change nothing more (activities/sales/).
 * - The hot activities (persist, expiry, a paid order) run local to the worker, as the auction's persist
 *   cycle does: one marker event each instead of three, and no server round trip.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import { nextExpiryRunAtMs, SALE_HISTORY_EVENTS_BEFORE_CONTINUE } from '../../domain/sales/holds.js';
import { saleIsFinished, saleStatusAt, type SaleStatus } from '../../domain/sales/sale.js';
import {
  SALE_MIN_PERSIST_INTERVAL_MS,
  SALE_PERIODIC_PERSIST_MS,
  type SaleProgress,
  type SaleWorkflowInput,
  type SaleWorkflowState,
} from '../../domain/sales/workflow.js';
import { saleStatusKey } from '../search-attributes.js';
import { cancelSaleSignal, claimsPendingSignal, saleOrderPaidSignal, saleStateQuery } from './definitions.js';

// No attempt limit: an outage of Postgres or Redis delays the sale's bookkeeping, never loses it.
const retry = { initialInterval: '500 ms', backoffCoefficient: 2, maximumInterval: '10 seconds' };
const { openSale, closeSale } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry });
// A cancel ends every open hold of the sale: up to its whole stock, in passes of 500.
const { cancelSale } = proxyActivities<Activities>({ startToCloseTimeout: '5 minutes', retry });
const { persistSale, settleDueHolds, settleSaleOrder } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry,
});

/** How long to wait before asking Redis again when its clock has not yet reached the end. */
const CLOCK_SKEW_RETRY_MS = 250;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Workflow time is replay-safe, so Date.now() here is deterministic. */
const msUntil = (atMs: number) => Math.max(0, atMs - Date.now());

const takesClaims = (phase: SaleWorkflowState['phase']) => phase === 'scheduled' || phase === 'open';

class SaleRun {
  readonly state: SaleWorkflowState;
  private readonly startsAtMs: number;
  private readonly endsAtMs: number | null;
  /** A claim set the wake flag: holds wait for their orders. */
  private wake = false;
  private cancelRequested = false;
  /** Orders the webhook said were paid, not yet settled. */
  private readonly paidOrders: string[] = [];
  private lastPersistAt: number;
  /** The SaleStatus search attribute as last upserted by this run. */
  private status: SaleStatus | null = null;

  constructor(private readonly input: SaleWorkflowInput) {
    const carried = input.carried;
    this.startsAtMs = Date.parse(input.startsAt);
    this.endsAtMs = input.endsAt === null ? null : Date.parse(input.endsAt);
    this.state = {
      saleId: input.saleId,
      phase: carried?.phase ?? 'scheduled',
      persistedSeq: carried?.persistedSeq ?? 0,
      lastExpiryRunAtMs: carried?.lastExpiryRunAtMs ?? null,
      earliestHoldExpiryMs: carried?.earliestHoldExpiryMs ?? null,
      cancelReason: carried?.cancelReason ?? null,
      counts: null,
    };
    // Counts are not carried: a run carried over persists at once (nextDeadlineMs), which also takes
    // up a wake-up that came while the last one handed over.
    this.lastPersistAt = Date.now();
    setHandler(saleStateQuery, () => this.state);
    setHandler(claimsPendingSignal, ({ holdExpiresAtMs }) => {
      this.wake = true;
      // The new hold may be the earliest (none was open); the persist that follows says for sure.
      const earliest = this.state.earliestHoldExpiryMs;
      if (Number.isFinite(holdExpiresAtMs) && (earliest === null || holdExpiresAtMs < earliest)) {
        this.state.earliestHoldExpiryMs = holdExpiresAtMs;
      }
    });
    setHandler(cancelSaleSignal, ({ reason }) => {
      if (!takesClaims(this.state.phase)) return; // closed or cancelled already: nothing to cancel
      this.cancelRequested = true;
      this.state.cancelReason ??= typeof reason === 'string' ? reason : null;
    });
    setHandler(saleOrderPaidSignal, ({ orderId }) => {
      // Anything but an order id would fail its activity on every retry, and stall the sale.
      if (typeof orderId === 'string' && UUID.test(orderId) && !this.paidOrders.includes(orderId)) {
        this.paidOrders.push(orderId);
      }
    });
  }

  async run(): Promise<SaleWorkflowState> {
    this.publishStatus();
    if (this.state.phase === 'scheduled') {
      // A claim wakes it too: Redis opened the sale by its own clock, a little before this timer.
      await condition(() => this.cancelRequested || this.wake, msUntil(this.startsAtMs));
      if (!this.cancelRequested) await this.open();
    }
    while (!this.isOver()) {
      if (this.cancelRequested) {
        await this.cancel();
        continue;
      }
      // Something is due at the deadline, so a loop that does not wait always runs an activity.
      const waitMs = msUntil(this.nextDeadlineMs());
      if (waitMs > 0) await condition(() => this.cancelRequested || this.wake || this.paidOrders.length > 0, waitMs);
      if (this.cancelRequested) continue;
      await this.settlePaid();
      if (this.wake || this.state.counts === null || this.periodicLookDue()) await this.persist();
      if (this.expiryDue()) await this.expire();
      if (this.endDue()) await this.close();
      await this.continueAsNewIfDue();
    }
    return this.state;
  }

  /**
   * Over once no hold can end any more and no claim can come: closed or cancelled with no hold open,
   * or every unit sold. Each hold was copied to Postgres before it could end (its fate is its order's),
   * so nothing of the log is left behind.
   */
  private isOver(): boolean {
    const counts = this.state.counts;
    if (counts === null || counts.held > 0) return false;
    if (this.cancelRequested || this.wake || this.paidOrders.length > 0) return false;
    return saleIsFinished(this.state.phase, counts);
  }

  /** The next moment something is due: now (counts unknown), the end, the earliest hold's run, or the periodic look. */
  private nextDeadlineMs(): number {
    if (this.state.counts === null) return Date.now();
    const at = [this.nextExpiryRunAtMs() ?? Infinity];
    if (takesClaims(this.state.phase) && this.endsAtMs !== null) at.push(this.endsAtMs);
    if (this.periodicLookWanted()) at.push(this.lastPersistAt + SALE_PERIODIC_PERSIST_MS);
    return Math.min(...at);
  }

  /**
   * While claims may come, a lost wake-up (a claim whose API process died before its signal) waits this
   * long at most; after the end, only when no hold is known to wait for (the timer it would need).
   */
  private periodicLookWanted(): boolean {
    return takesClaims(this.state.phase) || this.state.earliestHoldExpiryMs === null;
  }

  private periodicLookDue(): boolean {
    return this.periodicLookWanted() && Date.now() - this.lastPersistAt >= SALE_PERIODIC_PERSIST_MS;
  }

  private nextExpiryRunAtMs(): number | null {
    const earliest = this.state.earliestHoldExpiryMs;
    return earliest === null ? null : nextExpiryRunAtMs(earliest, this.state.lastExpiryRunAtMs);
  }

  private expiryDue(): boolean {
    const at = this.nextExpiryRunAtMs();
    return at !== null && Date.now() >= at;
  }

  private endDue(): boolean {
    return takesClaims(this.state.phase) && this.endsAtMs !== null && Date.now() >= this.endsAtMs;
  }

  private async open(): Promise<void> {
    const phase = await openSale(this.state.saleId);
    // Cancelled in Redis before the start (the API's cancel, its signal on the way): cancel here too.
    if (phase === 'cancelled') this.cancelRequested = true;
    else this.state.phase = phase;
    this.publishStatus();
  }

  private async persist(): Promise<void> {
    // Runs start at least SALE_MIN_PERSIST_INTERVAL_MS apart, however hot the sale.
    const wait = this.lastPersistAt + SALE_MIN_PERSIST_INTERVAL_MS - Date.now();
    if (wait > 0) await sleep(wait);
    this.wake = false; // a signal during the activity sets it again, and the loop persists again
    this.lastPersistAt = Date.now();
    this.apply(await persistSale(this.state.saleId, this.state.persistedSeq));
  }

  private async expire(): Promise<void> {
    this.state.lastExpiryRunAtMs = Date.now();
    // Redis's clock decides what is due: a run a little early ends nothing, and the next is a gap later.
    this.apply(await settleDueHolds(this.state.saleId, this.state.persistedSeq));
  }

  private async settlePaid(): Promise<void> {
    while (this.paidOrders.length > 0) {
      const orderId = this.paidOrders[0]!;
      this.apply(await settleSaleOrder(this.state.saleId, orderId, this.state.persistedSeq));
      this.paidOrders.shift();
    }
  }

  private async close(): Promise<void> {
    const closing = await closeSale(this.state.saleId);
    if (closing.phase === 'cancelled') {
      this.cancelRequested = true;
      return;
    }
    if (!closing.closed) {
      // Workflow time ran ahead of Redis time: ask again shortly, not in a tight loop.
      await sleep(CLOCK_SKEW_RETRY_MS);
      return;
    }
    this.state.phase = 'closed';
    this.publishStatus();
    await this.persist(); // the last claims' orders, and the counts the end is decided by
  }

  private async cancel(): Promise<void> {
    this.cancelRequested = false;
    const reason = this.state.cancelReason ?? 'cancelled';
    const progress = await cancelSale(this.state.saleId, reason, this.state.persistedSeq);
    // 'closed' when the end won the race: the sale closes normally, its holds run their course; still
    // 'open' when every unit was sold (end-sale.lua refuses that cancel): the sale is finished.
    this.state.phase = progress.phase;
    if (progress.phase !== 'cancelled') this.state.cancelReason = null;
    this.apply(progress);
  }

  private apply(progress: SaleProgress): void {
    this.state.persistedSeq = Math.max(this.state.persistedSeq, progress.persistedSeq);
    this.state.earliestHoldExpiryMs = progress.earliestHoldExpiryMs;
    this.state.counts = progress.counts;
    // Redis cancelled it (the API's cancel, whose signal may be lost): its holds are ended here.
    if (progress.phase === 'cancelled' && this.state.phase !== 'cancelled') this.cancelRequested = true;
    else if (progress.phase === 'closed') this.state.phase = 'closed';
    this.publishStatus();
  }

  /** Upserted on transitions only: one event per change, not per activity. */
  private publishStatus(): void {
    // Counts unknown yet (before the first activity): not sold out.
    const available = this.state.counts?.available ?? 1;
    const window = { startsAtMs: this.startsAtMs, endsAtMs: this.endsAtMs };
    const status = saleStatusAt(this.state.phase, { available }, window, Date.now());
    if (status === this.status) return;
    this.status = status;
    upsertSearchAttributes([{ key: saleStatusKey, value: status }]);
  }

  private async continueAsNewIfDue(): Promise<void> {
    if (this.isOver()) return; // the loop ends it
    const info = workflowInfo();
    if (!info.continueAsNewSuggested && info.historyLength <= SALE_HISTORY_EVENTS_BEFORE_CONTINUE) return;
    // A cancel or a payment that arrived meanwhile is handled in this run, not dropped at the hand-over.
    if (this.cancelRequested || this.paidOrders.length > 0) return;
    await condition(allHandlersFinished);
    const { phase, persistedSeq, lastExpiryRunAtMs, earliestHoldExpiryMs, cancelReason } = this.state;
    await continueAsNew<typeof saleWorkflow>({
      ...this.input,
      carried: { phase, persistedSeq, lastExpiryRunAtMs, earliestHoldExpiryMs, cancelReason },
    });
  }
}

export async function saleWorkflow(input: SaleWorkflowInput): Promise<SaleWorkflowState> {
  return new SaleRun(input).run();
}
