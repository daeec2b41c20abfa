/** What the API hands the auction workflow, and what the workflow reports about itself. */
import type { AuctionStatus } from './auction-status.js';

export interface AuctionWorkflowInput {
  auctionId: string;
  sellerId: string;
  /** ISO-8601 UTC. */
  startsAt: string;
  /** ISO-8601 UTC. */
  endsAt: string;
}

export interface AuctionWorkflowState {
  auctionId: string;
  status: AuctionStatus;
  startsAt: string;
  endsAt: string;
  cancelReason: string | null;
}

export interface CancelRequest {
  reason: string;
}
