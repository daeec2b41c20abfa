/**
 * Turns the bidding scripts' replies (flat field, value arrays of strings, so amounts up to 10^15 arrive
 * exactly) into the contract's types. A malformed reply is a bug in a script, so it throws.
 */
import { AUCTION_STATUSES, BID_KINDS, type AuctionStatus, type BidKind } from '../domain/auction-status.js';
import type { AuctionRules, BidDecision, BidRejection, BiddingState, PublicBidState } from '../domain/bidding.js';
import {
  RETRACTION_REFUSALS,
  type RetractionMode,
  type RetractionRefusal,
  type RetractionScope,
} from '../domain/retraction.js';
import { DOUBLING_REFUSALS, type DoublingDecision } from '../domain/promotions/doubling.js';

const BID_REJECTIONS: readonly BidRejection[] = [
  'AUCTION_NOT_OPEN',
  'BID_TOO_LOW',
  'SELLER_CANNOT_BID',
  'BUY_NOW_UNAVAILABLE',
];

export type PlaceBidResult = BidDecision & {
  placedAtMs: number;
  wake: boolean;
  replayed: boolean;
  /** The auction's buyer's premium, passed back by the script for the bid's answer (not a bidding rule). */
  buyersPremiumBps: number;
  /** The leader's alias on this auction (null: no leader, or one who bid before aliases existed). */
  leaderAlias: number | null;
  /** The bidder's own alias; null on a rejection. */
  bidderAlias: number | null;
};

export type RetractResult =
  | { accepted: false; reason: RetractionRefusal }
  | (PublicBidState & {
      accepted: true;
      seq: number;
      scope: RetractionScope;
      alias: number;
      lastSeq: number;
      leaderAlias: number | null;
      placedAtMs: number;
      wake: boolean;
    });

export type CloseResult =
  | { state: 'open'; endsAtMs: number }
  | { state: 'cancelled' }
  | { state: 'missing' }
  | {
      state: 'closed';
      seq: number;
      price: number;
      leaderId: string | null;
      leaderMax: number | null;
      bidCount: number;
      reserveMet: boolean;
      endsAtMs: number;
    };

export interface StreamBid {
  type: 'bid';
  seq: number;
  bidderId: string;
  /** The visible price after this bid. */
  amount: number;
  /** The bid's own maximum (the request's amount): private. */
  maxAmount: number;
  kind: BidKind;
  placedAtMs: number;
  endsAtMs: number;
  leaderId: string;
  /** The bid count after it (entries written before retractions existed lack it: then it is the seq). */
  bidCount: number;
  /** The bidder's alias, and the leader's after the bid (null in entries written before aliases existed). */
  bidderAlias: number | null;
  leaderAlias: number | null;
  /** The W3C traceparent of the request that placed it; null when that request was not traced. */
  traceparent: string | null;
}

/** A retraction or a void in the stream: the bids it takes back are the bidder's before its seq. */
export interface StreamRetraction {
  type: 'retraction';
  seq: number;
  bidderId: string;
  bidderAlias: number;
  scope: RetractionScope;
  mode: RetractionMode;
  /** With scope 'last', the one bid taken back. */
  lastSeq: number;
  /** The price, leader and bid count after it. */
  amount: number;
  leaderId: string | null;
  leaderAlias: number | null;
  bidCount: number;
  placedAtMs: number;
  endsAtMs: number;
  reason: string;
  actorId: string;
  requestId: string;
}

/** The promoter doubled a bidder's maximum: not a bid, but it may change the leader and the price. */
export interface StreamDoubling {
  type: 'doubling';
  seq: number;
  bidderId: string;
  bidderAlias: number;
  /** The bidder's own maximum, and the house's doubling of it: private. */
  fromMax: number;
  toMax: number;
  /** The price, leader and bid count after it. */
  amount: number;
  leaderId: string | null;
  leaderAlias: number | null;
  bidCount: number;
  placedAtMs: number;
  endsAtMs: number;
  promotionId: string;
  firingId: string;
}

export type StreamEntry = StreamBid | StreamRetraction | StreamDoubling;

export type DoubledMaximum =
  | Extract<DoublingDecision, { accepted: false }>
  | (Extract<DoublingDecision, { accepted: true }> & { leaderAlias: number | null; placedAtMs: number; wake: boolean });

/** Field access over a flat [field, value, field, value, ...] reply. */
class Fields {
  private readonly values = new Map<string, string>();

  constructor(
    flat: readonly string[],
    private readonly what: string,
  ) {
    for (let i = 0; i + 1 < flat.length; i += 2) this.values.set(flat[i]!, flat[i + 1]!);
  }

  text(name: string): string {
    const value = this.values.get(name);
    if (value === undefined) throw new Error(`${this.what}: no field ${name}`);
    return value;
  }

  /** '' stands for null. */
  optionalText(name: string): string | null {
    const value = this.text(name);
    return value === '' ? null : value;
  }

  number(name: string): number {
    const value = Number(this.text(name));
    if (!Number.isSafeInteger(value)) throw new Error(`${this.what}: ${name} is not an integer`);
    return value;
  }

  optionalNumber(name: string): number | null {
    return this.text(name) === '' ? null : this.number(name);
  }

  /** Like optionalNumber, for a field a reply may lack altogether (one stored before the field existed). */
  absentOrNumber(name: string): number | null {
    return this.values.has(name) ? this.optionalNumber(name) : null;
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  flag(name: string): boolean {
    return this.text(name) === '1';
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const value = this.text(name);
    if (!(allowed as readonly string[]).includes(value)) throw new Error(`${this.what}: unexpected ${name} ${value}`);
    return value as T;
  }
}

/** null: the auction is unknown. */
export function parsePlaceBidReply(reply: readonly string[]): PlaceBidResult | null {
  const fields = new Fields(reply, 'place-bid reply');
  const outcome = fields.oneOf('outcome', ['accepted', 'rejected', 'missing']);
  if (outcome === 'missing') return null;
  const common = {
    price: fields.number('price'),
    leaderId: fields.optionalText('leaderId'),
    minimumNextBid: fields.number('minimumNextBid'),
    endsAtMs: fields.number('endsAtMs'),
    bidCount: fields.number('bidCount'),
    reserveMet: fields.flag('reserveMet'),
    status: fields.oneOf<AuctionStatus>('status', AUCTION_STATUSES),
    placedAtMs: fields.number('placedAtMs'),
    wake: fields.flag('wake'),
    replayed: fields.flag('replayed'),
    // None in the hash of an auction made before settlement terms existed, nor in a reply stored for
    // one: its row holds the column's default, 0.
    buyersPremiumBps: fields.absentOrNumber('buyersPremiumBps') ?? 0,
    // Absent from replies stored before aliases existed.
    leaderAlias: fields.absentOrNumber('leaderAlias'),
    bidderAlias: fields.absentOrNumber('bidderAlias'),
  };
  if (outcome === 'rejected') return { ...common, accepted: false, code: fields.oneOf('code', BID_REJECTIONS) };
  return {
    ...common,
    accepted: true,
    seq: fields.number('seq'),
    kind: fields.oneOf('kind', BID_KINDS),
    leading: fields.flag('leading'),
    extended: fields.flag('extended'),
  };
}

/** null: the auction is unknown. A refusal the book's age caused reads as 'auction_predates_book'. */
/** Where a retraction or a doubling left the auction: its public state, the leader's alias, and the script's time. */
const standingAfter = (fields: Fields) => ({
  price: fields.number('price'),
  leaderId: fields.optionalText('leaderId'),
  leaderAlias: fields.optionalNumber('leaderAlias'),
  minimumNextBid: fields.number('minimumNextBid'),
  endsAtMs: fields.number('endsAtMs'),
  bidCount: fields.number('bidCount'),
  reserveMet: fields.flag('reserveMet'),
  status: fields.oneOf<AuctionStatus>('status', AUCTION_STATUSES),
  placedAtMs: fields.number('placedAtMs'),
});

export function parseRetractReply(reply: readonly string[]): RetractResult | null {
  const fields = new Fields(reply, 'retract-bid reply');
  const outcome = fields.oneOf('outcome', ['retracted', 'refused', 'missing']);
  if (outcome === 'missing') return null;
  if (outcome === 'refused') return { accepted: false, reason: fields.oneOf('reason', RETRACTION_REFUSALS) };
  return {
    accepted: true,
    seq: fields.number('seq'),
    scope: fields.oneOf('scope', ['all', 'last']),
    alias: fields.number('alias'),
    lastSeq: fields.number('lastSeq'),
    ...standingAfter(fields),
    wake: fields.flag('wake'),
  };
}

/** double-maximum.lua's reply; null when the auction is unknown. A repeated firing's reply has no wake flag. */
export function parseDoubleReply(reply: readonly string[]): DoubledMaximum | null {
  const fields = new Fields(reply, 'double-maximum reply');
  const outcome = fields.oneOf('outcome', ['doubled', 'refused', 'missing']);
  if (outcome === 'missing') return null;
  if (outcome === 'refused') return { accepted: false, reason: fields.oneOf('reason', DOUBLING_REFUSALS) };
  return {
    accepted: true,
    seq: fields.number('seq'),
    alias: fields.number('alias'),
    fromMax: fields.number('fromMax'),
    toMax: fields.number('toMax'),
    ownMax: fields.number('ownMax'),
    ...standingAfter(fields),
    wake: fields.has('wake') && fields.flag('wake'),
  };
}

export function parseCloseReply(reply: readonly string[]): CloseResult {
  const fields = new Fields(reply, 'close-bidding reply');
  const state = fields.oneOf('state', ['open', 'closed', 'cancelled', 'missing']);
  if (state === 'missing' || state === 'cancelled') return { state };
  if (state === 'open') return { state, endsAtMs: fields.number('endsAtMs') };
  return {
    state,
    seq: fields.number('seq'),
    price: fields.number('price'),
    leaderId: fields.optionalText('leaderId'),
    leaderMax: fields.optionalNumber('leaderMax'),
    bidCount: fields.number('bidCount'),
    reserveMet: fields.flag('reserveMet'),
    endsAtMs: fields.number('endsAtMs'),
  };
}

/** The auction hash (HGETALL), or null when there is none. */
export function parseAuctionHash(hash: Record<string, string>): { state: BiddingState; rules: AuctionRules } | null {
  if (Object.keys(hash).length === 0) return null;
  const fields = new Fields(Object.entries(hash).flat(), 'auction hash');
  return {
    state: {
      status: fields.oneOf<AuctionStatus>('status', AUCTION_STATUSES),
      startsAtMs: fields.number('startsAtMs'),
      endsAtMs: fields.number('endsAtMs'),
      price: fields.number('price'),
      leaderId: fields.optionalText('leaderId'),
      leaderMax: fields.optionalNumber('leaderMax'),
      seq: fields.number('seq'),
      bidCount: fields.number('bidCount'),
    },
    rules: {
      sellerId: fields.text('sellerId'),
      startingPrice: fields.number('startingPrice'),
      reservePrice: fields.optionalNumber('reservePrice'),
      buyNowPrice: fields.optionalNumber('buyNowPrice'),
      softCloseWindowMs: fields.number('softCloseWindowMs'),
      softCloseExtendMs: fields.number('softCloseExtendMs'),
    },
  };
}

/**
 * The leader's alias as the auction hash keeps it: null when no one leads, and when the hash has no such
 * field (an auction whose last bid came before aliases existed: see bidder-book.lua).
 */
export function parseLeaderAlias(hash: Record<string, string>): number | null {
  return new Fields(Object.entries(hash).flat(), 'auction hash').absentOrNumber('leaderAlias');
}

/** One XRANGE entry: [id, [field, value, ...]]; entries without a type are bids. */
export function parseStreamEntry([id, flat]: [string, string[]]): StreamEntry {
  const fields = new Fields(flat, `stream entry ${id}`);
  const seq = fields.number('seq');
  if (fields.has('type') && fields.text('type') === 'doubling') {
    return {
      type: 'doubling',
      seq,
      bidderId: fields.text('bidderId'),
      bidderAlias: fields.number('bidderAlias'),
      fromMax: fields.number('fromMax'),
      toMax: fields.number('toMax'),
      amount: fields.number('amount'),
      leaderId: fields.optionalText('leaderId'),
      leaderAlias: fields.optionalNumber('leaderAlias'),
      bidCount: fields.number('bidCount'),
      placedAtMs: fields.number('placedAtMs'),
      endsAtMs: fields.number('endsAtMs'),
      promotionId: fields.text('promotionId'),
      firingId: fields.text('firingId'),
    };
  }
  if (fields.has('type') && fields.text('type') === 'retraction') {
    return {
      type: 'retraction',
      seq,
      bidderId: fields.text('bidderId'),
      bidderAlias: fields.number('bidderAlias'),
      scope: fields.oneOf('scope', ['all', 'last']),
      mode: fields.oneOf('mode', ['retract', 'void']),
      lastSeq: fields.number('lastSeq'),
      amount: fields.number('amount'),
      leaderId: fields.optionalText('leaderId'),
      leaderAlias: fields.optionalNumber('leaderAlias'),
      bidCount: fields.number('bidCount'),
      placedAtMs: fields.number('placedAtMs'),
      endsAtMs: fields.number('endsAtMs'),
      reason: fields.text('reason'),
      actorId: fields.text('actorId'),
      requestId: fields.text('requestId'),
    };
  }
  return {
    type: 'bid',
    seq,
    bidderId: fields.text('bidderId'),
    amount: fields.number('amount'),
    maxAmount: fields.number('maxAmount'),
    kind: fields.oneOf('kind', BID_KINDS),
    placedAtMs: fields.number('placedAtMs'),
    endsAtMs: fields.number('endsAtMs'),
    leaderId: fields.text('leaderId'),
    bidCount: fields.absentOrNumber('bidCount') ?? seq,
    bidderAlias: fields.absentOrNumber('bidderAlias'),
    leaderAlias: fields.absentOrNumber('leaderAlias'),
    traceparent: fields.has('traceparent') ? fields.text('traceparent') : null,
  };
}
