/** What the API hands the sale workflow, the signals it takes, and what it reports about itself. */
import type { SaleCounts, SalePhase } from './sale.js';

export interface SaleWorkflowInput {
  saleId: string;
  sellerId: string;
  /** ISO-8601 UTC. */
  startsAt: string;
  /** ISO-8601 UTC, or null: open until sold out or cancelled. */
  endsAt: string | null;
  /** Set only when the workflow continues as new: where the previous run left off. */
  carried?: SaleCarriedState;
}

export interface SaleCarriedState {
  phase: SalePhase;
  /** The claim log's entries through this seq are in Postgres. */
  persistedSeq: number;
  /** When the last expiry run started (workflow time), for the gap between runs. */
  lastExpiryRunAtMs: number | null;
  /** The earliest hold's expiry, as Redis last said; null when no hold is open. */
  earliestHoldExpiryMs: number | null;
  cancelReason: string | null;
}

export interface SaleWorkflowState extends SaleCarriedState {
  saleId: string;
  counts: SaleCounts | null;
}

/** Sent by the API process whose claim set the wake flag: numbers only, never a claim's content. */
export interface ClaimsPending {
  seq: number;
  holdExpiresAtMs: number;
}

export interface SaleCancelRequest {
  reason: string;
}

/** What each of the workflow's sale activities reports: where the log and the holds stand now. */
export interface SaleProgress {
  persistedSeq: number;
  earliestHoldExpiryMs: number | null;
  counts: SaleCounts;
  phase: SalePhase;
}

/** With no hold to expire and no end to wait for, the workflow still looks this often (a lost wake-up). */
export const SALE_PERIODIC_PERSIST_MS = 30_000;
/** Persist runs at least this far apart, however hot the sale. */
export const SALE_MIN_PERSIST_INTERVAL_MS = 250;
