/**
 * One auction as `gavel watch` follows it: the snapshot, then each event applied in order (the API
 * sends them in seq order, and resumes without gaps), and the one line that shows it. Pure, so the
 * line is tested without a terminal (test/cli-watch.unit.test.ts).
 */
import type { Schemas } from './api/client.js';
import { resultText } from './auction-text.js';
import { endText, leaderText, money, plain, timeLeft } from './format.js';

type Result = Schemas['AuctionResult'] & { winnerAlias?: string | null };

/** Public answers may name the leader by alias only (`leaderAlias`, `leaderId: null`): both are kept as sent. */
interface Leader {
  leaderId?: string | null;
  leaderAlias?: string | null;
}

export interface LiveAuction extends Leader {
  title: string;
  currency: string;
  status: Schemas['Auction']['status'];
  currentPrice: number;
  bidCount: number;
  reserveMet: boolean;
  startsAt: string;
  endsAt: string;
  /** Soft-close extensions seen while watching. */
  extensions: number;
  result: Result | null;
}

export function fromSnapshot(auction: Schemas['Auction'] & Leader): LiveAuction {
  return {
    title: auction.title,
    currency: auction.currency,
    status: auction.status,
    currentPrice: auction.currentPrice,
    bidCount: auction.bidCount,
    reserveMet: auction.reserveMet,
    leaderId: auction.leaderId,
    ...(auction.leaderAlias === undefined ? {} : { leaderAlias: auction.leaderAlias }),
    startsAt: auction.startsAt,
    endsAt: auction.endsAt,
    extensions: 0,
    result: auction.result,
  };
}

type BidData = (Schemas['BidEvent'] & Leader) | Schemas['ReplayedBidEvent'];
/** A retraction or a promotion's doubling: not a bid, but the leader and price are found again. */
type RestandingData =
  | Schemas['RetractedEvent']
  | Schemas['ReplayedRetractionEvent']
  | Schemas['DoubledEvent']
  | Schemas['ReplayedDoublingEvent'];

/** The state after one event; `null` state until the snapshot (replayed bids before it change nothing shown). */
export function applyEvent(state: LiveAuction | null, event: string, data: unknown): LiveAuction | null {
  if (event === 'snapshot') return fromSnapshot(data as Schemas['Auction'] & Leader);
  if (state === null) return null;
  switch (event) {
    case 'bid': {
      const bid = data as BidData;
      const next = { ...state, currentPrice: bid.currentPrice, bidCount: bid.bidCount };
      if ('replayed' in bid) return next;
      return {
        ...next,
        reserveMet: bid.reserveMet,
        endsAt: bid.endsAt,
        leaderId: bid.leaderId,
        ...(bid.leaderAlias === undefined ? {} : { leaderAlias: bid.leaderAlias }),
        status: 'open',
      };
    }
    case 'retracted':
    case 'doubled': {
      const change = data as RestandingData;
      const next = { ...state, currentPrice: change.currentPrice, bidCount: change.bidCount };
      if ('replayed' in change) return next;
      return { ...next, reserveMet: change.reserveMet, leaderId: null, leaderAlias: change.leaderAlias };
    }
    case 'extended':
      return { ...state, endsAt: (data as Schemas['ExtendedEvent']).endsAt, extensions: state.extensions + 1 };
    case 'closed':
      return { ...state, status: 'closed', result: data as Result };
    case 'cancelled':
      return { ...state, status: 'cancelled' };
    default:
      return state;
  }
}

export const isOver = (state: LiveAuction | null): boolean =>
  state !== null && (state.status === 'closed' || state.status === 'cancelled');

/** The live line: title, price, leader, bids, reserve, countdown, extensions. */
export function liveLine(state: LiveAuction, now = Date.now()): string {
  const bids = state.bidCount === 1 ? '1 bid' : `${state.bidCount} bids`;
  const parts = [plain(state.title), money(state.currentPrice, state.currency), `leader ${leaderText(state)}`, bids];
  if (state.bidCount > 0) parts.push(state.reserveMet ? 'reserve met' : 'reserve not met');
  if (state.status === 'scheduled' && Date.parse(state.startsAt) > now) {
    parts.push(`opens in ${timeLeft(Date.parse(state.startsAt), now)}`);
  } else {
    parts.push(timeLeft(Date.parse(state.endsAt), now) === null ? 'closing…' : endText(state.endsAt, now));
  }
  if (state.extensions > 0) parts.push(`extended ${state.extensions}×`);
  return parts.join(' · ');
}

/** The last line, once it is over. */
export function finalLine(state: LiveAuction): string {
  if (state.status === 'cancelled') return `${plain(state.title)}: cancelled by the seller.`;
  const outcome = state.result ? resultText(state.result, state.currency) : 'closed';
  return `${plain(state.title)}: ${outcome}.`;
}
