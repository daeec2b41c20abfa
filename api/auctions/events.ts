/**
 * GET /v1/auctions/:id/events. On connect: the bids, retractions and doublings missed since Last-Event-ID
 * (missed-events.ts), then a `snapshot` of the whole auction; then live `bid`, `retracted`, `doubled`,
 * `extended`, `closed` and `cancelled` events. `id:` is the seq, so a reconnect resumes
 * exactly. Live events that arrive while the replay runs are held and delivered after it, without repeats.
 * Events are public, whoever opens the stream: bidders appear by alias, never by account id.
 */
import type { Request, Response } from 'express';
import type { AuctionResult } from '../../domain/auction-result.js';
import { aliasName } from '../../domain/bidder-alias.js';
import { ANONYMOUS, bidderIdsShownTo } from '../../domain/bidder-privacy.js';
import type { PublicBidState } from '../../domain/bidding.js';
import { minimumNextBid } from '../../domain/increments.js';
import { auctionKeys } from '../../lua/bidding-store.js';
import type { EventHub } from '../sse/hub.js';
import { followChannel } from '../sse/follow-channel.js';
import { SseStream } from '../sse/stream.js';
import { presentResult, withBidderIdsShown } from './presenter.js';
import { missedEntries } from './missed-events.js';
import type {
  DoubledEvent,
  ExtendedEvent,
  LiveBidEvent,
  ReplayedBidEvent,
  ReplayedDoublingEvent,
  ReplayedRetractionEvent,
  RetractedEvent,
} from './responses.js';
import { rulesOf } from './rules.js';
import { lastEventId } from './schemas.js';
import { findAuctionRow, getAuction, type AuctionDeps } from './service.js';

const MAX_REPLAY = 10_000;
/** Streams are public: the snapshot and every event show bidders to everyone as to anonymous viewers. */
const noIds = bidderIdsShownTo(ANONYMOUS, '');

type PublishedState = Omit<PublicBidState, 'leaderId'> & {
  seq: number;
  placedAtMs: number;
  leaderAlias: number | null;
};
/** What lua/place-bid.lua publishes for an accepted bid. */
type LiveBid = PublishedState & { type: 'bid'; extended: boolean };
/** What lua/retract-bid.lua publishes for a retraction or a void. */
type LiveRetraction = PublishedState & { type: 'retracted'; retractedAlias: number };
/** What lua/double-maximum.lua publishes for a promoter's doubling. */
type LiveDoubling = PublishedState & { type: 'doubled'; doubledAlias: number };
type LiveEvent =
  | LiveBid
  | LiveRetraction
  | LiveDoubling
  | { type: 'closed'; seq: number; result: AuctionResult }
  | { type: 'cancelled' };

export function eventsHandler(deps: AuctionDeps, hub: EventHub, heartbeatMs: number) {
  return async (req: Request<{ id: string }>, res: Response) => {
    const row = await findAuctionRow(deps.db, req.params.id);
    if (req.socket.destroyed) return; // gone during the query: nothing was opened for it
    const rules = rulesOf(row);
    const stream = new SseStream(res);
    let lastSeq = 0;
    // The leader's alias as of the last event sent: a sold auction's winner is its last leader, and the
    // `closed` event the workflow publishes names the winner by account only.
    let leaderAlias: string | null = null;

    const deliver = (message: string) => {
      const event = JSON.parse(message) as LiveEvent;
      if (event.type === 'cancelled') return stream.send('cancelled', {});
      if (event.type === 'closed') {
        const result = presentResult(event.result, leaderAlias);
        return stream.send('closed', { ...result, winnerId: noIds(result.winnerId) }, event.seq);
      }
      if (event.seq <= lastSeq) return; // already in the replay or the snapshot
      lastSeq = event.seq;
      leaderAlias = aliasName(event.leaderAlias);
      // What a bid and a retraction both leave: the public state, bidders by alias only.
      const state = {
        seq: event.seq,
        currentPrice: event.price,
        leaderId: null,
        leaderAlias,
        minimumNextBid: event.minimumNextBid,
        bidCount: event.bidCount,
        reserveMet: event.reserveMet,
        endsAt: new Date(event.endsAtMs).toISOString(),
      };
      const at = new Date(event.placedAtMs).toISOString();
      if (event.type === 'retracted') {
        const retracted: RetractedEvent = {
          ...state,
          retractedAlias: aliasName(event.retractedAlias)!,
          retractedAt: at,
        };
        return stream.send('retracted', retracted, event.seq);
      }
      if (event.type === 'doubled') {
        const doubled: DoubledEvent = { ...state, doubledAlias: aliasName(event.doubledAlias)!, doubledAt: at };
        return stream.send('doubled', doubled, event.seq);
      }
      stream.send('bid', { ...state, placedAt: at } satisfies LiveBidEvent, event.seq);
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
    const snapshot = withBidderIdsShown(await getAuction(deps, row.id), noIds);
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
    stream.send('snapshot', snapshot, snapshot.seq);
    following.release();
  };
}
