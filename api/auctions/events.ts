/**
 * GET /v1/auctions/:id/events. On connect: the bids missed since Last-Event-ID (Postgres for what is
 * persisted, then the Redis stream), then a `snapshot` of the whole auction; then live `bid`,
 * `extended`, `closed` and `cancelled` events. `id:` is the bid seq, so a reconnect resumes exactly.
 * Live events that arrive while the replay runs are held and delivered after it, without repeats.
 */
import type { Request, Response } from 'express';
import { and, asc, eq, gt } from 'drizzle-orm';
import { bids } from '../../db/schema.js';
import type { PublicBidState } from '../../domain/bidding.js';
import { minimumNextBid } from '../../domain/increments.js';
import { auctionKeys } from '../../lua/bidding-store.js';
import type { AuctionEventHub } from '../sse/hub.js';
import { SseStream } from '../sse/stream.js';
import { presentAuction } from './presenter.js';
import { rulesOf } from './rules.js';
import { findAuctionRow, type AuctionDeps } from './service.js';

const HEARTBEAT_MS = 15_000;
const MAX_REPLAY = 10_000;

/** What lua/place-bid.lua publishes for an accepted bid. */
type LiveBid = PublicBidState & { type: 'bid'; seq: number; extended: boolean; placedAtMs: number };
type LiveEvent = LiveBid | { type: 'closed'; seq: number; result: unknown } | { type: 'cancelled' };

export function eventsHandler(deps: AuctionDeps, hub: AuctionEventHub) {
  return async (req: Request<{ id: string }>, res: Response) => {
    const row = await findAuctionRow(deps.db, req.params.id);
    const rules = rulesOf(row);
    const stream = new SseStream(res);
    let lastSeq = 0;
    let held: string[] | null = [];

    const deliver = (message: string) => {
      const event = JSON.parse(message) as LiveEvent;
      if (event.type === 'cancelled') return stream.send('cancelled', {});
      if (event.type === 'closed') return stream.send('closed', event.result, event.seq);
      if (event.seq <= lastSeq) return; // already in the replay or the snapshot
      lastSeq = event.seq;
      stream.send(
        'bid',
        {
          seq: event.seq,
          currentPrice: event.price,
          leaderId: event.leaderId,
          minimumNextBid: event.minimumNextBid,
          bidCount: event.bidCount,
          reserveMet: event.reserveMet,
          endsAt: new Date(event.endsAtMs).toISOString(),
          placedAt: new Date(event.placedAtMs).toISOString(),
        },
        event.seq,
      );
      if (event.extended) stream.send('extended', { seq: event.seq, endsAt: new Date(event.endsAtMs).toISOString() });
    };

    // Cleanup is registered before anything awaits, so a client gone early leaks nothing.
    const cleanups: (() => void)[] = [];
    let gone = false;
    res.on('close', () => {
      gone = true;
      for (const cleanup of cleanups) cleanup();
    });
    const heartbeat = setInterval(() => stream.comment('ping'), HEARTBEAT_MS);
    cleanups.push(
      () => clearInterval(heartbeat),
      hub.track((retryMs) => stream.close(retryMs)),
    );
    const stopListening = await hub.listen(auctionKeys(row.id).events, (message) =>
      held ? held.push(message) : deliver(message),
    );
    if (gone) return stopListening();
    cleanups.push(stopListening);

    const resumeFrom = Number(req.get('last-event-id'));
    if (Number.isSafeInteger(resumeFrom) && resumeFrom >= 0) {
      lastSeq = resumeFrom;
      for (const bid of await missedBids(deps, row.id, resumeFrom)) {
        lastSeq = bid.seq;
        const data = {
          seq: bid.seq,
          currentPrice: bid.price,
          minimumNextBid: minimumNextBid({ price: bid.price, seq: bid.seq, bidCount: bid.seq }, rules),
          bidCount: bid.seq,
          placedAt: new Date(bid.placedAtMs).toISOString(),
          replayed: true,
        };
        stream.send('bid', data, bid.seq);
      }
    }
    const live = await deps.store.readState(row.id);
    const fresh = await findAuctionRow(deps.db, row.id);
    const snapshot = presentAuction(fresh, live?.state ?? null);
    lastSeq = Math.max(lastSeq, snapshot.seq);
    stream.send('snapshot', snapshot, snapshot.seq);
    for (const message of held ?? []) deliver(message);
    held = null;
  };
}

/** Bids after `afterSeq`: the persisted ones from Postgres, the rest from the Redis stream. */
async function missedBids(deps: AuctionDeps, auctionId: string, afterSeq: number) {
  const persisted = await deps.db
    .select({ seq: bids.seq, price: bids.amount, placedAt: bids.placedAt })
    .from(bids)
    .where(and(eq(bids.auctionId, auctionId), gt(bids.seq, afterSeq)))
    .orderBy(asc(bids.seq))
    .limit(MAX_REPLAY);
  const fromDb = persisted.map((bid) => ({ seq: bid.seq, price: bid.price, placedAtMs: bid.placedAt.getTime() }));
  const highWater = fromDb[fromDb.length - 1]?.seq ?? afterSeq;
  const fromStream = (await deps.store.readBids(auctionId, highWater, MAX_REPLAY)).map((bid) => ({
    seq: bid.seq,
    price: bid.amount,
    placedAtMs: bid.placedAtMs,
  }));
  return [...fromDb, ...fromStream];
}
