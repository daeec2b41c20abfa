/** What the API hands the auction workflow, the signals it takes, and what it reports about itself. */
import type { AuctionResult } from './auction-result.js';
import type { AuctionStatus } from './auction-status.js';

export interface AuctionWorkflowInput {
  auctionId: string;
  sellerId: string;
  /** ISO-8601 UTC. */
  startsAt: string;
  /** ISO-8601 UTC: the scheduled end; soft close may move it (Redis knows the real one). */
  endsAt: string;
  /** Set only when the workflow continues as new: where the previous run left off. */
  carried?: CarriedState;
}

export interface CarriedState {
  status: AuctionStatus;
  endsAt: string;
  persistedSeq: number;
  cancelReason: string | null;
  /** The "ending soon" lead times already said (minutes); absent in runs from before they were. */
  endingSoonSaid?: number[];
}

export interface AuctionWorkflowState extends CarriedState {
  auctionId: string;
  startsAt: string;
  result: AuctionResult | null;
}

export interface CancelRequest {
  reason: string;
}

/** Sent by the API process whose bid set the wake flag: numbers only, never bid payloads. */
export interface BidsPending {
  seq: number;
  endsAtMs: number;
}

/** Persist cycles are at least this far apart, however hot the auction (docs/architecture.md, "The auction workflow": ≤ a few per second). */
export const MIN_PERSIST_INTERVAL_MS = 250;
/** While open, persist this often even without a wake-up: covers a signal lost with its API process. */
export const PERIODIC_PERSIST_MS = 10_000;
