/** How a closed auction ends: decided once, from the final bidding state Redis closed with. */
import type { AuctionOutcome } from './auction-status.js';

export interface FinalBidding {
  bidCount: number;
  leaderId: string | null;
  price: number;
  reserveMet: boolean;
}

export interface AuctionResult {
  outcome: AuctionOutcome;
  winnerId: string | null;
  finalPrice: number | null;
  /** A sale's order for the winner (absent on auctions that closed before settlement existed). */
  orderId?: string;
}

export function auctionResult(final: FinalBidding): AuctionResult {
  if (final.bidCount === 0 || final.leaderId === null) return { outcome: 'unsold', winnerId: null, finalPrice: null };
  if (!final.reserveMet) return { outcome: 'reserve_not_met', winnerId: null, finalPrice: null };
  return { outcome: 'sold', winnerId: final.leaderId, finalPrice: final.price };
}
