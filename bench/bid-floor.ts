/**
 * The bid route's floor: the same Lua script behind the least express can do (the body parser, one
 * script call, an answer), the bidder named by an `x-user` header. The benches run it beside the route.
 */
import type http from 'node:http';
import express from 'express';
import { listen } from '../api/server.js';
import type { BiddingStore } from '../lua/bidding-store.js';

/** Serves POST /floor/:id on a free loopback port. */
export function listenBidFloor(store: BiddingStore): Promise<http.Server> {
  const app = express();
  app.post('/floor/:id', express.json(), async (req, res) => {
    const decision = await store.placeBid(String(req.params.id), {
      bidderId: String(req.get('x-user')),
      amount: (req.body as { amount: number }).amount,
      buyNow: false,
      idempotencyKey: null,
    });
    if (decision?.accepted) res.status(201).json({ seq: decision.seq, minimumNextBid: decision.minimumNextBid });
    else res.status(409).json({ error: { minimumNextBid: decision?.minimumNextBid } });
  });
  return listen(app, '127.0.0.1', 0);
}
