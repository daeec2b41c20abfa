/**
 * One auction's life: scheduled → open at startsAt → closed when Redis says the end has come, or
 * cancelled before that. Redis decides bids and time; this workflow owns the timers, copies the bid
 * history to Postgres in coalesced cycles (bid payloads never enter its history), and announces
 * exactly one result. Every activity is idempotent, so a worker killed anywhere changes nothing.
 */
import {
  allHandlersFinished,
  proxyLocalActivities,
  ApplicationFailure,
  condition,
  continueAsNew,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { auctionResult, type FinalBidding } from '../domain/auction-result.js';
import { isFinal, type AuctionStatus } from '../domain/auction-status.js';
import {
  MIN_PERSIST_INTERVAL_MS,
  PERIODIC_PERSIST_MS,
  type AuctionWorkflowInput,
  type AuctionWorkflowState,
} from '../domain/auction-workflow.js';
import type { AuctionMoment } from '../domain/notifications/audience.js';
import { dueEndingSoon, nextEndingSoonAtMs } from '../domain/notifications/ending-soon.js';
import { settlementWorkflowId } from '../domain/temporal-names.js';
import { bidsPendingSignal, cancelSignal, stateQuery } from './definitions.js';
import { auctionEndsAtKey, auctionSellerIdKey, auctionStatusKey } from './search-attributes.js';
import { settlementWorkflow } from './settlement/settlement.js';

// No attempt limit: an outage of Postgres or Redis delays the auction's bookkeeping, never loses it.
const retry = { initialInterval: '500 ms', backoffCoefficient: 2, maximumInterval: '10 seconds' };
const activities = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry });
// The hot loop's one activity runs local to the worker: no server round trip to schedule it and one
// marker event instead of three, which is most of a persist cycle's latency and history
// (docs/decisions.md, measured with bench/bid.bench.ts).
const { persistBids } = proxyLocalActivities<Activities>({ startToCloseTimeout: '30 seconds', retry });
// A fan-out to a large audience takes a while; its heartbeats let a retry resume where it stopped.
const { notifyAuctionMoment } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { ...retry, maximumInterval: '1 minute' },
});

/**
 * Audience notifications (started, ending soon, cancelled, closed) were added while auctions were
 * running: runs whose history has no marker for this patch keep their recorded path (workflows/README.md).
 */
const NOTIFY_AUDIENCES = 'notify-audiences';

/**
 * A sold close makes the winner's order and starts its settlement; auctions that closed on the code
 * from before had neither, and replay keeps them so.
 */
const SETTLE_SOLD = 'settle-sold';

/** How long to wait before asking Redis again when its clock has not yet reached the end. */
const CLOCK_SKEW_RETRY_MS = 250;

/** Workflow time is replay-safe, so Date.now() here is deterministic. */
const msUntil = (iso: string) => Math.max(0, Date.parse(iso) - Date.now());

class AuctionRun {
  readonly state: AuctionWorkflowState;
  private wake = false;
  private cancelRequested = false;
  private lastPersistAt = 0;

  constructor(private readonly input: AuctionWorkflowInput) {
    const carried = input.carried;
    this.state = {
      auctionId: input.auctionId,
      startsAt: input.startsAt,
      status: carried?.status ?? 'scheduled',
      endsAt: carried?.endsAt ?? input.endsAt,
      persistedSeq: carried?.persistedSeq ?? 0,
      cancelReason: carried?.cancelReason ?? null,
      endingSoonSaid: carried?.endingSoonSaid ?? [],
      result: null,
    };
    setHandler(stateQuery, () => this.state);
    setHandler(cancelSignal, ({ reason }) => {
      if (isFinal(this.state.status)) return;
      this.cancelRequested = true;
      this.state.cancelReason ??= reason;
    });
    setHandler(bidsPendingSignal, ({ endsAtMs }) => {
      this.wake = true;
      this.learnEndsAt(endsAtMs);
    });
  }

  async run(): Promise<AuctionWorkflowState> {
    if (!this.input.carried) {
      upsertSearchAttributes([
        { key: auctionStatusKey, value: this.state.status },
        { key: auctionEndsAtKey, value: new Date(this.state.endsAt) },
        { key: auctionSellerIdKey, value: this.input.sellerId },
      ]);
    }
    if (this.state.status === 'scheduled') {
      // A bid wakes it too: Redis opened the auction by its own clock, a little before this timer.
      await condition(() => this.cancelRequested || this.wake, msUntil(this.state.startsAt));
      if (!this.cancelRequested) {
        await this.moveTo('open');
        await this.notify('started');
      }
    }
    while (!this.cancelRequested) {
      const endsAt = this.state.endsAt;
      const nextPeriodic = this.lastPersistAt + PERIODIC_PERSIST_MS - Date.now();
      await condition(
        () => this.cancelRequested || this.wake || this.state.endsAt !== endsAt,
        Math.max(0, Math.min(msUntil(endsAt), nextPeriodic, this.msUntilEndingSoon())),
      );
      if (this.cancelRequested) break;
      await this.sayEndingSoon();
      if (this.wake || Date.now() - this.lastPersistAt >= PERIODIC_PERSIST_MS) await this.persist();
      if (msUntil(this.state.endsAt) === 0) {
        const closing = await activities.closeBidding(this.state.auctionId);
        if (closing.state === 'closed') return this.announce(closing);
        if (closing.state === 'cancelled') break; // cancelled in Redis; its signal may still be on the way
        if (closing.state === 'missing') {
          throw ApplicationFailure.nonRetryable(`no bidding state in Redis for ${this.state.auctionId}`);
        }
        this.learnEndsAt(closing.endsAtMs); // a soft-close extension this run had not heard of yet
        // Workflow time ran ahead of Redis time: ask again shortly, not in a tight loop.
        if (closing.endsAtMs <= Date.now()) await sleep(CLOCK_SKEW_RETRY_MS);
      }
      await this.continueAsNewIfSuggested();
    }
    return this.cancel();
  }

  private async cancel(): Promise<AuctionWorkflowState> {
    // A cancel from ops (Temporal UI) has not reached Redis yet; one from the API has. Both are fine.
    const outcome = await activities.cancelBidding(this.state.auctionId);
    if (outcome === 'already_closed') {
      // The end (or a buy-now) won the race with the cancel: the auction closes normally.
      this.cancelRequested = false;
      this.state.cancelReason = null;
      const closing = await activities.closeBidding(this.state.auctionId);
      if (closing.state !== 'closed')
        throw ApplicationFailure.nonRetryable(`close after lost cancel: ${closing.state}`);
      return this.announce(closing);
    }
    await this.persist({ linger: false }); // bids accepted before the cancel are history too
    await this.moveTo('cancelled');
    await this.notify('cancelled');
    return this.state;
  }

  /** Persists every bid up to the final seq, then writes and announces the result: once. */
  private async announce(final: FinalBidding & { seq: number; endsAtMs: number }): Promise<AuctionWorkflowState> {
    this.learnEndsAt(final.endsAtMs);
    while (this.state.persistedSeq < final.seq) await this.persist({ linger: false });
    let result = auctionResult(final);
    const settle = result.outcome === 'sold' && patched(SETTLE_SOLD);
    const opened = settle
      ? await activities.openAuctionOrder({
          auctionId: this.state.auctionId,
          buyerId: result.winnerId!,
          hammerPrice: result.finalPrice!,
        })
      : null;
    if (opened) result = { ...result, orderId: opened.order.id };
    await activities.recordResult({
      auctionId: this.state.auctionId,
      result,
      endsAtMs: final.endsAtMs,
      bidCount: final.bidCount,
    });
    await activities.publishClosed(this.state.auctionId, final.seq, result);
    if (opened) {
      // Abandoned, not tied to this run: the settlement outlives the auction by days.
      await startChild(settlementWorkflow, {
        workflowId: settlementWorkflowId(this.state.auctionId),
        parentClosePolicy: ParentClosePolicy.ABANDON,
        args: [
          {
            auctionId: this.state.auctionId,
            sellerId: this.input.sellerId,
            order: opened.order,
            autoSecondChance: opened.autoSecondChance,
            offerWindowSeconds: opened.offerWindowSeconds,
            sellerDecisionSeconds: opened.sellerDecisionSeconds,
          },
        ],
      });
    }
    this.state.result = result;
    this.setStatus('closed');
    await this.notify('closed');
    return this.state;
  }

  /** Tells the auction's audience of a moment (once per user: the activity's dedupe keys see to it). */
  private async notify(moment: AuctionMoment, minutes?: number): Promise<void> {
    if (!patched(NOTIFY_AUDIENCES)) return;
    await notifyAuctionMoment({ auctionId: this.state.auctionId, moment, minutes, endsAt: this.state.endsAt });
  }

  /** Until the next "ending soon" lead time not yet said; Infinity when none is left (or before the patch). */
  private msUntilEndingSoon(): number {
    if (!patched(NOTIFY_AUDIENCES)) return Infinity;
    const at = nextEndingSoonAtMs(Date.parse(this.state.endsAt), this.state.endingSoonSaid ?? []);
    return at === null ? Infinity : Math.max(0, at - Date.now());
  }

  /** Says each lead time whose moment has come, once per auction however the end moves afterwards. */
  private async sayEndingSoon(): Promise<void> {
    if (!patched(NOTIFY_AUDIENCES)) return;
    const said = (this.state.endingSoonSaid ??= []);
    for (const minutes of dueEndingSoon(Date.parse(this.state.endsAt), Date.now(), said)) {
      await this.notify('ending_soon', minutes);
      said.push(minutes);
    }
  }

  private async persist({ linger } = { linger: true }): Promise<void> {
    // Cycles start at least MIN_PERSIST_INTERVAL_MS apart; after a long (lingering) one, the next may
    // start at once, without a timer's round trip while bids wait.
    const wait = this.lastPersistAt + MIN_PERSIST_INTERVAL_MS - Date.now();
    if (wait > 0) await sleep(wait);
    this.wake = false; // a signal during the activity sets it again, and the loop persists again
    this.lastPersistAt = Date.now();
    const outcome = await persistBids(this.state.auctionId, this.state.persistedSeq, linger);
    this.state.persistedSeq = outcome.persistedSeq;
    // Redis may know of an end (buy-now) or a cancel whose signal never arrived.
    if (outcome.endsAtMs !== null) this.learnEndsAt(outcome.endsAtMs);
    if (outcome.status === 'cancelled' && !isFinal(this.state.status)) this.cancelRequested = true;
  }

  private async moveTo(status: AuctionStatus): Promise<void> {
    await activities.recordAuctionStatus({
      auctionId: this.state.auctionId,
      status,
      cancelReason: this.state.cancelReason,
    });
    this.setStatus(status);
  }

  private setStatus(status: AuctionStatus): void {
    this.state.status = status;
    upsertSearchAttributes([{ key: auctionStatusKey, value: status }]);
  }

  /**
   * Redis owns the end: soft close moves it later, a buy-now moves it to now. A stale value from a
   * late signal is harmless: the close script answers the real end, and this is called again.
   */
  private learnEndsAt(endsAtMs: number): void {
    if (endsAtMs === Date.parse(this.state.endsAt)) return;
    this.state.endsAt = new Date(endsAtMs).toISOString();
    upsertSearchAttributes([{ key: auctionEndsAtKey, value: new Date(endsAtMs) }]);
  }

  private async continueAsNewIfSuggested(): Promise<void> {
    // A cancel that arrived meanwhile is handled in this run, not dropped at the hand-over.
    if (!workflowInfo().continueAsNewSuggested || this.cancelRequested) return;
    await condition(allHandlersFinished);
    const { status, endsAt, persistedSeq, cancelReason, endingSoonSaid } = this.state;
    await continueAsNew<typeof auctionWorkflow>({
      ...this.input,
      carried: { status, endsAt, persistedSeq, cancelReason, endingSoonSaid },
    });
  }
}

export async function auctionWorkflow(input: AuctionWorkflowInput): Promise<AuctionWorkflowState> {
  return new AuctionRun(input).run();
}
