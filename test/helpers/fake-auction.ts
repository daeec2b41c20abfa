/**
 * Every activity the workflows call, as an in-memory model typed as the real ones (`Activities`): a
 * small stand-in for one auction's bidding state in Redis (bids, soft close, buy-now, cancel, close),
 * the settlement's (FakeSettlement), the flash sales' (FakeSale) and the notification side. For workflow tests on the time-skipping
 * server (helpers/time-skipping.ts) and for recording histories (scripts/capture-workflow-histories.ts).
 *
 * Every call is recorded with the time of the clock given: Date.now for a real-time server; for the
 * time-skipping server its own clock (`serverClock` of helpers/time-skipping.ts), which a workflow's
 * timers follow and activities' Date.now() does not.
 */
import { randomUUID } from 'node:crypto';
import type { Activities } from '../../activities/index.js';
import type { AuctionStatus } from '../../domain/auction-status.js';
import type { BidsPending } from '../../domain/auction-workflow.js';
import type { AuctionMoment } from '../../domain/notifications/audience.js';
import type { CancelOutcome, CloseResult } from '../../lua/bidding-store.js';
import { FakeSale, type FakeSaleOptions } from './fake-sale.js';
import { FakeSettlement, type FakeSettlementOptions } from './fake-settlement.js';

type AuctionActivityName =
  | 'recordAuctionStatus'
  | 'persistBids'
  | 'closeBidding'
  | 'cancelBidding'
  | 'recordResult'
  | 'publishClosed'
  | 'notifyAuctionMoment';

export interface AuctionCall {
  name: AuctionActivityName;
  /** The clock's time when the activity ran. */
  atMs: number;
  /** What the call was about: the status recorded, the outcome, the moment (and its minutes), ... */
  detail?: string;
  /** The arguments the workflow passed. */
  args: unknown[];
}

export interface FakeAuction {
  id: string;
  sellerId: string;
  status: AuctionStatus;
  startsAtMs: number;
  endsAtMs: number;
  seq: number;
  price: number;
  leaderId: string | null;
  leaderMax: number | null;
  reservePrice: number | null;
  softCloseWindowMs: number;
  softCloseExtendMs: number;
  /** What the workflow has persisted so far (the highest persistedSeq answered). */
  persistedSeq: number;
  /** Every activity call about this auction, in order. */
  calls: AuctionCall[];
  /** How often the close found the end not yet come (a soft-close extension the run had not heard of). */
  closeAnsweredOpen: number;
}

export interface AuctionPlan {
  startsAtMs: number;
  endsAtMs: number;
  sellerId?: string;
  reservePrice?: number | null;
  softCloseWindowMs?: number;
  softCloseExtendMs?: number;
}

export interface FakeActivitiesOptions {
  /** The clock the activities read (default Date.now). */
  now?: () => number;
  /**
   * `io`: each activity takes a few real milliseconds, as Redis and Postgres would (and a lingering
   * persist cycle longer), so a real-time server records realistic histories. `none` (default): each
   * just yields a turn, for the time-skipping server, where real time only slows a test down.
   */
  latency?: 'io' | 'none';
  settlement?: Omit<FakeSettlementOptions, 'now'>;
  /** The sales' clock may differ (an asynchronous one: helpers/fake-sale.ts); `now` by default. */
  sales?: Pick<FakeSaleOptions, 'now'>;
}

/** The real milliseconds each activity takes with `latency: 'io'`. */
const IO_LATENCY_MS = {
  recordAuctionStatus: 5,
  persistBids: 5,
  persistBidsLingering: 40,
  closeBidding: 5,
  cancelBidding: 5,
  recordResult: 5,
  publishClosed: 1,
  notifyAuctionMoment: 10,
  outboxDispatch: 10,
  saleActivity: 5,
} as const;

/** The users a notification reaches, as the fake answers. */
export const FAKE_AUDIENCE_SIZE = 3;

/** `name` or `name:detail`: the shape tests compare call lists in. */
export const callName = (call: { name: string; detail?: string }) =>
  call.detail === undefined ? call.name : `${call.name}:${call.detail}`;

export class FakeActivities {
  readonly auctions = new Map<string, FakeAuction>();
  readonly settlement: FakeSettlement;
  readonly sales: FakeSale;
  /** The promotion firings the firing workflow asked for, with the ids it gave them. */
  readonly firings: { promotionId: string; firingId: string }[] = [];
  readonly activities: Activities;
  private readonly now: () => number;
  private readonly latency: 'io' | 'none';

  constructor(options: FakeActivitiesOptions = {}) {
    this.now = options.now ?? Date.now;
    this.latency = options.latency ?? 'none';
    this.settlement = new FakeSettlement({ ...options.settlement, now: this.now });
    this.sales = new FakeSale({
      now: options.sales?.now ?? this.now,
      latencyMs: this.latency === 'io' ? IO_LATENCY_MS.saleActivity : 0,
    });
    this.activities = this.build();
  }

  /** A new auction in the fake Redis, scheduled until its start. */
  add(plan: AuctionPlan): FakeAuction {
    const auction: FakeAuction = {
      id: randomUUID(),
      sellerId: plan.sellerId ?? randomUUID(),
      status: 'scheduled',
      startsAtMs: plan.startsAtMs,
      endsAtMs: plan.endsAtMs,
      seq: 0,
      price: 0,
      leaderId: null,
      leaderMax: null,
      reservePrice: plan.reservePrice ?? null,
      softCloseWindowMs: plan.softCloseWindowMs ?? 0,
      softCloseExtendMs: plan.softCloseExtendMs ?? 0,
      persistedSeq: 0,
      calls: [],
      closeAnsweredOpen: 0,
    };
    this.auctions.set(auction.id, auction);
    return auction;
  }

  get(auctionId: string): FakeAuction {
    const auction = this.auctions.get(auctionId);
    if (!auction) throw new Error(`no fake auction ${auctionId}`);
    return auction;
  }

  /** The auction's calls as `name` or `name:detail`, in order. */
  callNames(auctionId: string): string[] {
    return this.get(auctionId).calls.map(callName);
  }

  /**
   * A bid accepted in Redis at `nowMs`: the next seq, the price up, and within the soft-close window
   * the end moved later. Returns what the API's bidsPending signal would carry.
   */
  bid(auctionId: string, amount: number, bidderId: string, nowMs: number): BidsPending {
    const auction = this.get(auctionId);
    lookAtClock(auction, nowMs);
    if (auction.status !== 'open') throw new Error(`a bid on auction ${auctionId}, which is ${auction.status}`);
    if (nowMs >= auction.endsAtMs) throw new Error(`a bid on auction ${auctionId} after its end`);
    auction.seq += 1;
    auction.price = amount;
    auction.leaderId = bidderId;
    auction.leaderMax = amount;
    if (auction.endsAtMs - nowMs <= auction.softCloseWindowMs) {
      auction.endsAtMs = Math.max(auction.endsAtMs, nowMs + auction.softCloseExtendMs);
    }
    return { seq: auction.seq, endsAtMs: auction.endsAtMs };
  }

  /** A buy-now at `nowMs`: the last bid, at the buy-now price, ends the auction then in Redis. */
  buyNow(auctionId: string, price: number, buyerId: string, nowMs: number): BidsPending {
    const auction = this.get(auctionId);
    lookAtClock(auction, nowMs);
    if (auction.status !== 'open') throw new Error(`a buy-now on auction ${auctionId}, which is ${auction.status}`);
    auction.seq += 1;
    auction.price = price;
    auction.leaderId = buyerId;
    auction.leaderMax = price;
    auction.endsAtMs = nowMs;
    auction.status = 'closed';
    return { seq: auction.seq, endsAtMs: auction.endsAtMs };
  }

  private async record(
    auction: FakeAuction,
    name: AuctionActivityName,
    args: unknown[],
    detail?: string,
    latencyMs: number = IO_LATENCY_MS[name],
  ): Promise<void> {
    auction.calls.push({ name, atMs: this.now(), ...(detail === undefined ? {} : { detail }), args });
    await this.pause(latencyMs);
  }

  private pause(ioMs: number): Promise<void> {
    if (this.latency === 'io') return new Promise((resolve) => setTimeout(resolve, ioMs));
    return new Promise((resolve) => setImmediate(resolve));
  }

  private build(): Activities {
    return {
      ...this.settlement.activities,
      ...this.sales.activities,
      firePromotion: (input) => {
        this.firings.push(input);
        return Promise.resolve('doubled' as const);
      },
      recordAuctionStatus: async (input) => {
        await this.record(this.get(input.auctionId), 'recordAuctionStatus', [input], input.status);
      },
      persistBids: async (auctionId, afterSeq, linger = true) => {
        const auction = this.get(auctionId);
        const latency = linger ? IO_LATENCY_MS.persistBidsLingering : IO_LATENCY_MS.persistBids;
        await this.record(auction, 'persistBids', [auctionId, afterSeq, linger], String(afterSeq), latency);
        lookAtClock(auction, this.now());
        auction.persistedSeq = Math.max(auction.persistedSeq, auction.seq);
        return { persistedSeq: auction.seq, endsAtMs: auction.endsAtMs, status: auction.status };
      },
      closeBidding: async (auctionId) => {
        const auction = this.get(auctionId);
        await this.record(auction, 'closeBidding', [auctionId]);
        const now = this.now();
        lookAtClock(auction, now);
        if (auction.status === 'cancelled') return { state: 'cancelled' };
        if (auction.status !== 'closed' && now < auction.endsAtMs) {
          auction.closeAnsweredOpen++;
          return { state: 'open', endsAtMs: auction.endsAtMs };
        }
        auction.status = 'closed';
        return closedReply(auction);
      },
      cancelBidding: async (auctionId): Promise<CancelOutcome> => {
        const auction = this.get(auctionId);
        await this.record(auction, 'cancelBidding', [auctionId]);
        if (auction.status === 'cancelled') return 'already_cancelled';
        if (auction.status === 'closed' || this.now() >= auction.endsAtMs) {
          auction.status = 'closed';
          return 'already_closed';
        }
        auction.status = 'cancelled';
        return 'cancelled';
      },
      recordResult: async (input) => {
        await this.record(this.get(input.auctionId), 'recordResult', [input], input.result.outcome);
      },
      publishClosed: async (auctionId, seq, result) => {
        await this.record(this.get(auctionId), 'publishClosed', [auctionId, seq, result]);
      },
      notifyAuctionMoment: async (input) => {
        const detail = momentDetail(input.moment, input.minutes);
        await this.record(this.get(input.auctionId), 'notifyAuctionMoment', [input], detail);
        return FAKE_AUDIENCE_SIZE;
      },
      sendDueEmails: async () => {
        await this.pause(IO_LATENCY_MS.outboxDispatch);
        return { handled: 0 };
      },
      deliverDueWebhooks: async () => {
        await this.pause(IO_LATENCY_MS.outboxDispatch);
        return { handled: 0 };
      },
    };
  }
}

const momentDetail = (moment: AuctionMoment, minutes: number | undefined) =>
  minutes === undefined ? moment : `${moment}:${minutes}`;

/** Redis opens an auction by its own clock when a bid or the close looks at it. */
function lookAtClock(auction: FakeAuction, nowMs: number): void {
  if (auction.status === 'scheduled' && nowMs >= auction.startsAtMs) auction.status = 'open';
}

function closedReply(auction: FakeAuction): CloseResult {
  return {
    state: 'closed',
    seq: auction.seq,
    price: auction.price,
    leaderId: auction.leaderId,
    leaderMax: auction.leaderMax,
    bidCount: auction.seq,
    reserveMet: auction.reservePrice === null || auction.price >= auction.reservePrice,
    endsAtMs: auction.endsAtMs,
  };
}
