/**
 * GET /v1/auctions/:id/events. On connect: the bids, retractions and doublings missed since Last-Event-ID
 * (missed-events.ts), then a `snapshot` of the whole auction; then live `bid`, `retracted`, `doubled`,
 * `extended`, `closed` and `cancelled` events. `id:` is the seq, so a reconnect resumes
 * exactly. Live events that arrive while the replay runs are held and delivered after it, without repeats.
 * Events are public, whoever opens the stream: bidders appear by alias, never by account id.
 */
import type { Request, Response } from 'express';
import { aliasName } from '../../domain/bidder-alias.js';
import { minimumNextBid } from '../../domain/increments.js';
import { auctionKeys } from '../../lua/bidding-store.js';
import type { EventHub } from '../sse/hub.js';
import { followChannel } from '../sse/follow-channel.js';
import { Heartbeat } from '../sse/heartbeat.js';
import { formatEvent, SseStream } from '../sse/stream.js';
import { liveFrameOf, noIds } from './live-frames.js';
import { withBidderIdsShown } from './presenter.js';
import { missedEntries } from './missed-events.js';
import type { ReplayedBidEvent, ReplayedDoublingEvent, ReplayedRetractionEvent } from './responses.js';
import { rulesOf, type AuctionRow } from './rules.js';
import { lastEventId } from './schemas.js';
import { SharedReads } from './shared-reads.js';
import { findAuctionRow, getAuction, type AuctionDeps } from './service.js';

const MAX_REPLAY = 10_000;

/** The snapshot as every stream of the auction gets it, formatted once per read. */
interface Snapshot {
  seq: number;
  leaderAlias: string | null;
  chunk: Buffer;
}

async function readSnapshot(deps: AuctionDeps, id: string): Promise<Snapshot> {
  const snapshot = withBidderIdsShown(await getAuction(deps, id), noIds);
  return {
    seq: snapshot.seq,
    leaderAlias: snapshot.leaderAlias,
    chunk: Buffer.from(formatEvent('snapshot', snapshot, snapshot.seq)),
  };
}

export function eventsHandler(deps: AuctionDeps, hub: EventHub, heartbeatMs: number) {
  const heartbeat = new Heartbeat(heartbeatMs);
  // A crowd opening streams on one auction shares its reads (shared-reads.ts).
  // Their loaders take the id alone: a stream's closures must not keep its row (or its request) alive.
  const rows = new SharedReads<AuctionRow>((id) => findAuctionRow(deps.db, id));
  const snapshots = new SharedReads<Snapshot>((id) => readSnapshot(deps, id));
  return async (req: Request<{ id: string }>, res: Response) => {
    const row = await rows.read(req.params.id);
    if (req.socket.destroyed) return; // gone during the query: nothing was opened for it
    const rules = rulesOf(row);
    const stream = new SseStream(res);
    let lastSeq = 0;
    // The leader's alias as of the last event sent: a sold auction's winner is its last leader, and the
    // `closed` event the workflow publishes names the winner by account only.
    let leaderAlias: string | null = null;

    // Every stream of the auction writes the same frame (live-frames.ts); only what it already has differs.
    const deliver = (message: string) => {
      const frame = liveFrameOf(message);
      if (frame.kind === 'cancelled') return stream.write(frame.chunk);
      if (frame.kind === 'closed') return stream.write(frame.chunkFor(leaderAlias));
      if (frame.seq <= lastSeq) return; // already in the replay or the snapshot
      lastSeq = frame.seq;
      leaderAlias = frame.leaderAlias;
      stream.write(frame.chunk);
    };

    const following = await followChannel(res, {
      hub,
      stream,
      heartbeat,
      channel: auctionKeys(row.id).events,
      deliver,
    });
    if (!following) return;

    // The snapshot is read first (live events since are held), then exactly the bids between the
    // client's last id and the snapshot are replayed: nothing in between is skipped or repeated.
    // Read again now: the result may have been written since the first read.
    const snapshot = await snapshots.read(row.id);
    const header = req.get('last-event-id');
    const resumeFrom = header === undefined ? null : lastEventId.parse(header);
    const missed = resumeFrom === null ? 0 : snapshot.seq - resumeFrom;
    // Further behind than that, the snapshot alone brings the client up to date.
    if (resumeFrom !== null && missed > 0 && missed <= MAX_REPLAY) {
      for (const missed of await missedEntries(deps, row.id, resumeFrom, snapshot.seq)) {
        const common = {
          seq: missed.seq,
          currentPrice: missed.price,
          minimumNextBid: minimumNextBid({ price: missed.price, bidCount: missed.bidCount }, rules),
          bidCount: missed.bidCount,
          replayed: true as const,
        };
        const at = new Date(missed.placedAtMs).toISOString();
        if (missed.kind === 'bid') {
          stream.send('bid', { ...common, placedAt: at } satisfies ReplayedBidEvent, missed.seq);
        } else if (missed.kind === 'retracted') {
          const data: ReplayedRetractionEvent = {
            ...common,
            retractedAlias: aliasName(missed.alias)!,
            retractedAt: at,
          };
          stream.send('retracted', data, missed.seq);
        } else {
          const data: ReplayedDoublingEvent = { ...common, doubledAlias: aliasName(missed.alias)!, doubledAt: at };
          stream.send('doubled', data, missed.seq);
        }
      }
    }
    lastSeq = snapshot.seq;
    leaderAlias = snapshot.leaderAlias;
    stream.write(snapshot.chunk);
    following.release();
  };
}
