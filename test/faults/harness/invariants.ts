/**
 * What must hold after any fault, checked against the durable record (Postgres) and what clients
 * were told: every acknowledged bid persisted exactly once, no gaps, nothing placed after the end,
 * one result equal to the formula, and the SSE `closed` event equal to it.
 */
import type pg from 'pg';
import { presentResult } from '../../../api/auctions/presenter.js';
import type { PublicAuctionResult } from '../../../api/auctions/responses.js';
import type { AuctionResult } from '../../../domain/auction-result.js';
import { aliasName } from '../../../domain/bidder-alias.js';
import { expectedResult, type AcceptedBid } from '../../helpers/expected-result.js';
import type { SseEvent } from '../../helpers/sse.js';
import type { Acknowledged } from './bidders.js';

export interface Verdict {
  acknowledged: number;
  persisted: number;
  /** Acknowledged bids missing from Postgres, or stored with another bidder or maximum. */
  lost: number;
  /** Seqs not in 1..n exactly once. */
  gaps: number;
  /** Persisted bids placed at or after the final end. */
  late: number;
  /** Persisted seqs the SSE client never saw: not a `bid` event (live or replayed), not under a snapshot. */
  sseMissed: number;
  /** The final end (after soft-close extensions). */
  endsAtMs: number;
  /** How often the SSE client learned the result: `closed` events, or a closed snapshot (one expected). */
  closedEvents: number;
  /** As the API answers its seller (with the sale's orderId, or null; the winner by id and alias). */
  stored: PublicAuctionResult | null;
  expected: AuctionResult;
  workflow: PublicAuctionResult | null;
  sseClosed: unknown;
}

interface BidRow {
  seq: number;
  bidder_id: string;
  max_amount: string;
  kind: AcceptedBid['kind'];
  placed_at: Date;
}

interface AuctionRow {
  status: string;
  outcome: AuctionResult['outcome'] | null;
  winner_id: string | null;
  leader_alias: number | null;
  final_price: string | null;
  order_id: string | null;
  ends_at: Date;
  starting_price: string;
  reserve_price: string | null;
}

export async function verifyAuction(
  pool: pg.Pool,
  auctionId: string,
  acknowledged: readonly Acknowledged[],
  sseEvents: readonly SseEvent[],
  workflowResult: AuctionResult | null,
): Promise<Verdict> {
  const { rows: bidRows } = await pool.query<BidRow>(
    'SELECT seq, bidder_id, max_amount, kind, placed_at FROM bids WHERE auction_id = $1 ORDER BY seq',
    [auctionId],
  );
  const { rows: auctionRows } = await pool.query<AuctionRow>(
    'SELECT status, outcome, winner_id, leader_alias, final_price, order_id, ends_at, starting_price, reserve_price FROM auctions WHERE id = $1',
    [auctionId],
  );
  const auction = auctionRows[0];
  if (!auction) throw new Error(`auction ${auctionId} is not in Postgres`);

  const bySeq = new Map(bidRows.map((row) => [row.seq, row]));
  const lost = new Set(
    acknowledged
      .filter((ack) => {
        const row = bySeq.get(ack.seq);
        return !row || row.bidder_id !== ack.bidderId || Number(row.max_amount) !== ack.max;
      })
      .map((ack) => ack.key),
  ).size;
  const gaps = bidRows.filter((row, i) => row.seq !== i + 1).length;
  const late = bidRows.filter((row) => row.placed_at.getTime() >= auction.ends_at.getTime()).length;
  const accepted = bidRows.map((row) => ({
    seq: row.seq,
    bidderId: row.bidder_id,
    max: Number(row.max_amount),
    kind: row.kind,
  }));
  const rules = {
    startingPrice: Number(auction.starting_price),
    reservePrice: auction.reserve_price === null ? null : Number(auction.reserve_price),
  };
  // How the follower learned the result: the live `closed` event, or, when the close happened while it
  // was away (the API down), the snapshot of the closed auction its reconnect got. Either is once.
  const closed = sseEvents.flatMap((event) => {
    if (event.event === 'closed') return [{ data: event.data }];
    const snapshot = event.data as { status?: string; result?: unknown } | null;
    if (event.event === 'snapshot' && snapshot?.status === 'closed') return [{ data: snapshot.result }];
    return [];
  });

  // A sold auction's winner is its last leader: the row's leader alias at the close.
  const winnerAlias = auction.outcome === 'sold' ? aliasName(auction.leader_alias) : null;
  return {
    acknowledged: new Set(acknowledged.map((ack) => ack.seq)).size,
    persisted: bidRows.length,
    lost,
    gaps,
    late,
    sseMissed: missedBySse(sseEvents, bidRows.length),
    endsAtMs: auction.ends_at.getTime(),
    closedEvents: closed.length,
    stored:
      auction.outcome === null
        ? null
        : {
            outcome: auction.outcome,
            winnerId: auction.winner_id,
            winnerAlias,
            finalPrice: auction.final_price === null ? null : Number(auction.final_price),
            orderId: auction.order_id,
          },
    expected: expectedResult(accepted, rules),
    workflow: workflowResult && presentResult(workflowResult, winnerAlias),
    sseClosed: closed[0]?.data ?? null,
  };
}

/**
 * Bids an SSE client never learned of, reading its events in order across reconnects. The first
 * snapshot brings it up to date; after that every seq must arrive as a `bid` event (live, or replayed
 * after a reconnect, which comes before that connection's snapshot).
 */
function missedBySse(events: readonly SseEvent[], lastSeq: number): number {
  let covered: number | null = null;
  let missed = 0;
  for (const event of events) {
    const seq = Number(event.id);
    if (event.event === 'snapshot' && covered === null) covered = seq;
    else if ((event.event === 'bid' || event.event === 'snapshot') && covered !== null && seq > covered) {
      missed += seq - covered - (event.event === 'bid' ? 1 : 0);
      covered = seq;
    }
  }
  return missed + Math.max(0, lastSeq - (covered ?? 0));
}
