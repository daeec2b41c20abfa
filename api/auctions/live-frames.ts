/**
 * An auction's published messages (lua/place-bid.lua, retract-bid.lua, double-maximum.lua, the
 * workflow's `closed` and `cancelled`) as its streams write them. Streams are public, so every watcher
 * of an auction gets the same bytes: a message is parsed and formatted once, by the first stream the
 * hub hands it to, and the rest of that fan-out (the hub gives each stream the same message in turn)
 * write the same string. Formatting per stream cost ~5× the bare write at thousands of watchers.
 * One part depends on the stream: `closed` names the winner by the alias that stream last saw, so it is
 * formatted once per alias seen (in practice one).
 */
import type { AuctionResult } from '../../domain/auction-result.js';
import { aliasName } from '../../domain/bidder-alias.js';
import { ANONYMOUS, bidderIdsShownTo } from '../../domain/bidder-privacy.js';
import type { PublicBidState } from '../../domain/bidding.js';
import { formatEvent } from '../sse/stream.js';
import { presentResult } from './presenter.js';
import type { DoubledEvent, ExtendedEvent, LiveBidEvent, RetractedEvent } from './responses.js';

/** Streams are public: every event shows bidders to everyone as to anonymous viewers. */
export const noIds = bidderIdsShownTo(ANONYMOUS, '');

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

/**
 * A message ready to write: `chunk` holds its whole event (a bid and its `extended`, one write), as
 * bytes, so thousands of writes of it do not encode it thousands of times.
 */
export type LiveFrame =
  /** A bid, retraction or doubling: sent once per stream, in seq order; it sets the stream's leader. */
  | { kind: 'state'; seq: number; leaderAlias: string | null; chunk: Buffer }
  | { kind: 'closed'; chunkFor: (leaderAlias: string | null) => Buffer }
  | { kind: 'cancelled'; chunk: Buffer };

let last: { message: string; frame: LiveFrame } | null = null;

/** The frame of a published message; the same message again (the next stream of the loop) costs a compare. */
export function liveFrameOf(message: string): LiveFrame {
  if (last !== null && last.message === message) return last.frame;
  const frame = frameOf(JSON.parse(message) as LiveEvent);
  last = { message, frame };
  return frame;
}

function frameOf(event: LiveEvent): LiveFrame {
  if (event.type === 'cancelled') return { kind: 'cancelled', chunk: Buffer.from(formatEvent('cancelled', {})) };
  if (event.type === 'closed') return closedFrame(event.seq, event.result);
  const leaderAlias = aliasName(event.leaderAlias);
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
  const frame = (chunk: string): LiveFrame => ({
    kind: 'state',
    seq: event.seq,
    leaderAlias,
    chunk: Buffer.from(chunk),
  });
  if (event.type === 'retracted') {
    const retracted: RetractedEvent = { ...state, retractedAlias: aliasName(event.retractedAlias)!, retractedAt: at };
    return frame(formatEvent('retracted', retracted, event.seq));
  }
  if (event.type === 'doubled') {
    const doubled: DoubledEvent = { ...state, doubledAlias: aliasName(event.doubledAlias)!, doubledAt: at };
    return frame(formatEvent('doubled', doubled, event.seq));
  }
  const bid = formatEvent('bid', { ...state, placedAt: at } satisfies LiveBidEvent, event.seq);
  if (!event.extended) return frame(bid);
  const extended: ExtendedEvent = { seq: event.seq, endsAt: state.endsAt };
  return frame(bid + formatEvent('extended', extended));
}

/** The workflow's `closed` names the winner by account only; a sold auction's winner is its last leader. */
function closedFrame(seq: number, result: AuctionResult): LiveFrame {
  const byAlias = new Map<string | null, Buffer>();
  return {
    kind: 'closed',
    chunkFor: (leaderAlias) => {
      let chunk = byAlias.get(leaderAlias);
      if (chunk === undefined) {
        const shown = presentResult(result, leaderAlias);
        chunk = Buffer.from(formatEvent('closed', { ...shown, winnerId: noIds(shown.winnerId) }, seq));
        byAlias.set(leaderAlias, chunk);
      }
      return chunk;
    },
  };
}
