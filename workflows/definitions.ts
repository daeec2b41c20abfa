/** Signals and queries of the auction workflow, shared by the workflow and its callers (API, ops). */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { AuctionWorkflowState, BidsPending, CancelRequest } from '../domain/auction-workflow.js';

export const cancelSignal = defineSignal<[CancelRequest]>('cancel');
export const bidsPendingSignal = defineSignal<[BidsPending]>('bidsPending');
export const stateQuery = defineQuery<AuctionWorkflowState>('state');
