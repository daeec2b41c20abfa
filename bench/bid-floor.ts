/**
 * The bid route's floor: the same Lua script behind the least express can do (the body parser, one
 * script call, an answer), the bidder named by an `x-user` header. The benches run it beside the route.
 */
import type http from 'node:http';
import express from 'express';
import { listen } from '../api/server.js';
import { signalBidsPending } from '../api/auctions/bids.js';
import type { AuctionDeps } from '../api/auctions/service.js';
import type { BiddingStore, PlaceBidResult } from '../lua/bidding-store.js';

/** An accepted bid's decision, as the script gave it. */
export type AcceptedBid = Extract<PlaceBidResult, { accepted: true }>;

/**
 * Serves POST /floor/:id on a free loopback port. `onAccepted` is told of each accepted bid: a bench
 * whose floor must do the route's whole work signals the auction's workflow there on a wake, as the route
 * does, so the worker persists the floor's bids as promptly as the route's.
 */
export function listenBidFloor(
  store: BiddingStore,
  onAccepted?: (auctionId: string, decision: AcceptedBid) => void,
): Promise<http.Server> {
  const app = express();
  app.post('/floor/:id', express.json(), async (req, res) => {
    const auctionId = String(req.params.id);
    const decision = await store.placeBid(auctionId, {
      bidderId: String(req.get('x-user')),
      amount: (req.body as { amount: number }).amount,
      buyNow: false,
      idempotencyKey: null,
    });
    if (decision?.accepted) {
      onAccepted?.(auctionId, decision);
      res.status(201).json({ seq: decision.seq, minimumNextBid: decision.minimumNextBid });
    } else res.status(409).json({ error: { minimumNextBid: decision?.minimumNextBid } });
  });
  return listen(app, '127.0.0.1', 0);
}

/** The route's one step beyond the floor, for `onAccepted`: a bid that wakes the auction signals its workflow. */
export function signalOnWake(deps: Pick<AuctionDeps, 'temporal' | 'logger'>) {
  return (auctionId: string, decision: AcceptedBid): void => {
    if (decision.wake && !decision.replayed) signalBidsPending(deps, auctionId, decision);
  };
}
