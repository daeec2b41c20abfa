/**
 * GET /v1/auctions/:id/events. On connect: the bids missed since Last-Event-ID (Postgres for what is
 * persisted, then the Redis stream), then a `snapshot` of the whole auction; then live `bid`,
 * `extended`, `closed` and `cancelled` events. `id:` is the bid seq, so a reconnect resumes exactly.
 * Live events that arrive while the replay runs are held and delivered after it, without repeats.
 */
import type { Request, Response } from 'express';
import { and, asc, eq, gt, lte } from 'drizzle-orm';
import { bids } from '../../db/schema.js';
import type { AuctionResult } from '../../domain/auction-result.js';
import type { PublicBidState } from '../../domain/bidding.js';
import { minimumNextBid } from '../../domain/increments.js';
import { auctionKeys } from '../../lua/bidding-store.js';
import type { EventHub } from '../sse/hub.js';
import { followChannel } from '../sse/follow-channel.js';
import { SseStream } from '../sse/stream.js';
import { presentResult } from './presenter.js';
import type { ExtendedEvent, LiveBidEvent, ReplayedBidEvent } from './responses.js';
import { rulesOf } from './rules.js';
import { lastEventId } from './schemas.js';
import { findAuctionRow, getAuction, type AuctionDeps } from './service.js';

const MAX_REPLAY = 10_000;

/** What lua/place-bid.lua publishes for an accepted bid. */
type LiveBid = PublicBidState & { type: 'bid'; seq: number; extended: boolean; placedAtMs: number };
type LiveEvent = LiveBid | { type: 'closed'; seq: number; result: AuctionResult } | { type: 'cancelled' };

export function eventsHandler(deps: AuctionDeps, hub: EventHub, heartbeatMs: number) {
  return async (req: Request<{ id: string }>, res: Response) => {
    const row = await findAuctionRow(deps.db, req.params.id);
    if (req.socket.destroyed) return; // gone during the query: nothing was opened for it
    const rules = rulesOf(row);
    const stream = new SseStream(res);
    let lastSeq = 0;

    const deliver = (message: string) => {
      const event = JSON.parse(message) as LiveEvent;
      if (event.type === 'cancelled') return stream.send('cancelled', {});
      if (event.type === 'closed') return stream.send('closed', presentResult(event.result), event.seq);
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
        } satisfies LiveBidEvent,
        event.seq,
      );
      if (event.extended) {
        stream.send('extended', {
          seq: event.seq,
          endsAt: new Date(event.endsAtMs).toISOString(),
        } satisfies ExtendedEvent);
      }
    };

    const following = await followChannel(res, {
      hub,
      stream,
      heartbeatMs,
      channel: auctionKeys(row.id).events,
      deliver,
    });
    if (!following) return;

    // The snapshot is read first (live events since are held), then exactly the bids between the
    // client's last id and the snapshot are replayed: nothing in between is skipped or repeated.
    // Read again now: the result may have been written since the first read.
    const snapshot = await getAuction(deps, row.id);
    const header = req.get('last-event-id');
    const resumeFrom = header === undefined ? null : lastEventId.parse(header);
    const missed = resumeFrom === null ? 0 : snapshot.seq - resumeFrom;
    // Further behind than that, the snapshot alone brings the client up to date.
    if (resumeFrom !== null && missed > 0 && missed <= MAX_REPLAY) {
      for (const bid of await missedBids(deps, row.id, resumeFrom, snapshot.seq)) {
        const data: ReplayedBidEvent = {
          seq: bid.seq,
          currentPrice: bid.price,
          minimumNextBid: minimumNextBid({ price: bid.price, bidCount: bid.seq }, rules),
          bidCount: bid.seq,
          placedAt: new Date(bid.placedAtMs).toISOString(),
          replayed: true,
        };
        stream.send('bid', data, bid.seq);
      }
    }
    lastSeq = snapshot.seq;
    stream.send('snapshot', snapshot, snapshot.seq);
    following.release();
  };
}

/** Bids in (afterSeq, throughSeq]: the persisted ones from Postgres, the rest from the Redis stream. */
async function missedBids(deps: AuctionDeps, auctionId: string, afterSeq: number, throughSeq: number) {
  const persisted = await deps.db
    .select({ seq: bids.seq, price: bids.amount, placedAt: bids.placedAt })
    .from(bids)
    .where(and(eq(bids.auctionId, auctionId), gt(bids.seq, afterSeq), lte(bids.seq, throughSeq)))
    .orderBy(asc(bids.seq));
  const fromDb = persisted.map((bid) => ({ seq: bid.seq, price: bid.price, placedAtMs: bid.placedAt.getTime() }));
  const highWater = fromDb[fromDb.length - 1]?.seq ?? afterSeq;
  const rest = throughSeq > highWater ? await deps.store.readBids(auctionId, highWater, throughSeq - highWater) : [];
  const fromStream = rest
    .filter((bid) => bid.seq <= throughSeq)
    .map((bid) => ({ seq: bid.seq, price: bid.amount, placedAtMs: bid.placedAtMs }));
  return [...fromDb, ...fromStream];
}
