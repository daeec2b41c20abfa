/** What anyone may see of an auction's bidding: never the reserve nor the leader's maximum. */
import type { AuctionRules, BiddingState, PublicBidState } from './bidding.js';
import { minimumNextBid } from './increments.js';

/**
 * True when there is no reserve at all, even before the first bid: "met" answers "would the current
 * leader, if any, be sold to?", and an auction without a reserve never stands in the way. This is what
 * the API presents too, and it gives a client no hint about a reserve that does not exist.
 */
export const reserveMet = (state: Pick<BiddingState, 'leaderMax'>, rules: Pick<AuctionRules, 'reservePrice'>) =>
  rules.reservePrice === null || (state.leaderMax !== null && state.leaderMax >= rules.reservePrice);

export const publicBidState = (state: BiddingState, rules: AuctionRules): PublicBidState => ({
  price: state.price,
  leaderId: state.leaderId,
  minimumNextBid: minimumNextBid(state, rules),
  endsAtMs: state.endsAtMs,
  bidCount: state.bidCount,
  reserveMet: reserveMet(state, rules),
  status: state.status,
});

/**
 * reserveMet from the visible state alone, for readers that never see the leader's maximum (the listing
 * read model loading from Postgres). The same answer as reserveMet: the price never exceeds the
 * leader's maximum, and once that maximum reaches the reserve the price is raised to at least it.
 */
export const reserveMetByPrice = (
  state: Pick<BiddingState, 'price' | 'bidCount'>,
  rules: Pick<AuctionRules, 'reservePrice'>,
) => rules.reservePrice === null || (state.bidCount > 0 && state.price >= rules.reservePrice);
