/**
 * The contract of the bidding engine: the state Redis keeps per auction, a bid request, and the
 * decision. `domain/proxy-bidding.ts` implements it in pure TypeScript; `lua/place-bid.lua` implements
 * the same rules atomically in Redis; a property test requires both to agree on random sequences.
 * All money is integer minor units; all times are epoch milliseconds (Redis TIME is the authority).
 */
import type { AuctionStatus, BidKind } from './auction-status.js';

export interface AuctionRules {
  sellerId: string;
  startingPrice: number;
  /** Never revealed; only `reserveMet`. */
  reservePrice: number | null;
  /** Available until the first accepted bid. */
  buyNowPrice: number | null;
  /** A bid accepted when less than this remains moves the end to now + softCloseExtendMs. 0: off. */
  softCloseWindowMs: number;
  softCloseExtendMs: number;
}

export interface BiddingState {
  /** 'scheduled' until a bid or a close finds Redis time past startsAt; then effectively 'open'. */
  status: AuctionStatus;
  startsAtMs: number;
  endsAtMs: number;
  /** The visible price: startingPrice until the first bid. */
  price: number;
  leaderId: string | null;
  /** Private: the leader's maximum. */
  leaderMax: number | null;
  /** The last seq assigned (0: none yet). */
  seq: number;
  bidCount: number;
}

export interface BidRequest {
  bidderId: string;
  /** The most the bidder will pay (proxy maximum); with buyNow, must equal the buy-now price. */
  amount: number;
  buyNow: boolean;
  nowMs: number;
}

export type BidRejection = 'AUCTION_NOT_OPEN' | 'BID_TOO_LOW' | 'SELLER_CANNOT_BID' | 'BUY_NOW_UNAVAILABLE';

/** What every answer carries: the public state after the decision. */
export interface PublicBidState {
  price: number;
  leaderId: string | null;
  minimumNextBid: number;
  endsAtMs: number;
  bidCount: number;
  reserveMet: boolean;
  status: AuctionStatus;
}

export type BidDecision =
  | (PublicBidState & {
      accepted: true;
      seq: number;
      kind: BidKind;
      /** The bidder leads after this bid. */
      leading: boolean;
      /** Soft close moved the end. */
      extended: boolean;
    })
  | (PublicBidState & { accepted: false; code: BidRejection });
