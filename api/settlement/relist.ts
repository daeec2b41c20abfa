/**
 * The settlement's say in a relist. A sold lot may be relisted only once its sale came to nothing, and
 * the settlement workflow is the one writer of which order or offer is live: while it runs, a relist
 * asks it (its `relist` update) and it decides, ending itself so that no offer follows; once it is
 * over, the orders and offers in Postgres are final and decide.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { orders, secondChanceOffers } from '../../db/settlement-schema.js';
import { relistRefusalInPhase, type RelistRefusal, type SaleAftermath } from '../../domain/relist.js';
import { SETTLEMENT_REFUSALS } from '../../domain/settlement/workflow.js';
import { settlementWorkflowId } from '../../domain/temporal-names.js';
import { relistUpdate, settlementStateQuery } from '../../workflows/settlement/definitions.js';

/**
 * The status of every order and offer made for the lot. Any handle that queries: the pool's, or a
 * transaction's holding the auction's row lock, which the settlement's activities take to change them.
 */
export async function saleAftermathOf(db: Pick<Database, 'select'>, auctionId: string): Promise<SaleAftermath> {
  const orderRows = await db.select({ status: orders.status }).from(orders).where(eq(orders.auctionId, auctionId));
  const offerRows = await db
    .select({ status: secondChanceOffers.status })
    .from(secondChanceOffers)
    .where(eq(secondChanceOffers.auctionId, auctionId));
  return { orders: orderRows.map((row) => row.status), offers: offerRows.map((row) => row.status) };
}

/**
 * Ends the auction's settlement for a relist, or says why it will not: null when it ended for this
 * relist or was over already.
 */
export async function endSettlementForRelist(temporal: Client, auctionId: string): Promise<RelistRefusal | null> {
  const settlement = temporal.workflow.getHandle(settlementWorkflowId(auctionId));
  try {
    await settlement.executeUpdate(relistUpdate);
    return null;
  } catch (error) {
    // Over and done with (the server answers an update to a finished workflow as not found).
    if (error instanceof WorkflowNotFoundError) return null;
    const refused =
      error instanceof WorkflowUpdateFailedError &&
      error.cause instanceof ApplicationFailure &&
      error.cause.type === SETTLEMENT_REFUSALS.notAwaitingSeller;
    if (!refused) throw error;
    // Refused in which phase? One that has just closed (the seller's time ran out, or another relist
    // got there first) is no longer in the way: the relist's own transaction settles between those.
    const state = await settlement.query(settlementStateQuery);
    return relistRefusalInPhase(state.phase);
  }
}
