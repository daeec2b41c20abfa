/**
 * One auction's life: scheduled → open at startsAt → closed at endsAt, or cancelled before the close.
 * The durable status lives in Postgres (written by an activity); the workflow owns the timers.
 */
import { condition, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { canMove, type AuctionStatus } from '../domain/auction-status.js';
import type { AuctionWorkflowInput, AuctionWorkflowState } from '../domain/auction-workflow.js';
import { cancelSignal, stateQuery } from './definitions.js';
import { auctionEndsAtKey, auctionSellerIdKey, auctionStatusKey } from './search-attributes.js';

const { recordAuctionStatus } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export async function auctionWorkflow(input: AuctionWorkflowInput): Promise<AuctionWorkflowState> {
  const state: AuctionWorkflowState = {
    auctionId: input.auctionId,
    status: 'scheduled',
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    cancelReason: null,
  };
  setHandler(stateQuery, () => state);
  setHandler(cancelSignal, ({ reason }) => {
    if (canMove(state.status, 'cancelled')) state.cancelReason = reason;
  });
  const cancelled = () => state.cancelReason !== null;

  async function moveTo(status: AuctionStatus): Promise<void> {
    await recordAuctionStatus({ auctionId: input.auctionId, status, cancelReason: state.cancelReason });
    state.status = status;
    upsertSearchAttributes([{ key: auctionStatusKey, value: status }]);
  }

  upsertSearchAttributes([
    { key: auctionStatusKey, value: state.status },
    { key: auctionEndsAtKey, value: new Date(input.endsAt) },
    { key: auctionSellerIdKey, value: input.sellerId },
  ]);

  await condition(cancelled, msUntil(input.startsAt));
  if (!cancelled()) {
    await moveTo('open');
    await condition(cancelled, msUntil(state.endsAt));
  }
  await moveTo(cancelled() ? 'cancelled' : 'closed');
  return state;
}

/** Workflow time is replay-safe, so Date.now() here is deterministic. */
const msUntil = (iso: string) => Math.max(0, Date.parse(iso) - Date.now());
