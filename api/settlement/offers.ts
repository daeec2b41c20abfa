/**
 * Second-chance offers over HTTP. The settlement workflow is the one writer of which order or offer is
 * live, so making and answering an offer are Temporal updates: it decides, in order, and the answer
 * comes back with the outcome (or the reason it was refused, as a 409).
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { and, eq, or } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { auctions } from '../../db/schema.js';
import { orders, secondChanceOffers } from '../../db/settlement-schema.js';
import { toOffer } from '../../db/settlement-rows.js';
import type { Offer } from '../../domain/settlement/offer.js';
import { SETTLEMENT_REFUSALS, type OfferAnswerResult } from '../../domain/settlement/workflow.js';
import { settlementWorkflowId } from '../../domain/temporal-names.js';
import { answerOfferUpdate, offerSecondChanceUpdate } from '../../workflows/settlement/definitions.js';
import { isAuctionId as isUuid } from '../auctions/ids.js';
import { AppError, notFound } from '../errors.js';

export interface OfferDeps {
  db: Database;
  temporal: Client;
}

const REFUSAL_MESSAGES: Record<string, string> = {
  [SETTLEMENT_REFUSALS.notAwaitingSeller]:
    'No second-chance offer can be made now: the lot is not waiting for your decision (it is paid, or an order or offer is live)',
  [SETTLEMENT_REFUSALS.noCandidate]: 'No bidder is left to offer the lot to',
  [SETTLEMENT_REFUSALS.offerNotOpen]: 'The offer is no longer open',
};

/** A refusal from the workflow (or its absence: no settlement, or one that is over) as a 409. */
function refusal(error: unknown): never {
  if (error instanceof WorkflowNotFoundError) {
    throw new AppError(
      409,
      SETTLEMENT_REFUSALS.notAwaitingSeller,
      REFUSAL_MESSAGES[SETTLEMENT_REFUSALS.notAwaitingSeller]!,
    );
  }
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type) {
    const code = error.cause.type;
    throw new AppError(409, code, REFUSAL_MESSAGES[code] ?? error.cause.message);
  }
  throw error;
}

/** The seller's own auction; 404 when there is none, 403 when it is someone else's (as for cancel). */
async function sellersAuction(db: Database, sellerId: string, auctionId: string): Promise<void> {
  if (!isUuid(auctionId)) throw notFound('auction');
  const [row] = await db.select({ sellerId: auctions.sellerId }).from(auctions).where(eq(auctions.id, auctionId));
  if (!row) throw notFound('auction');
  if (row.sellerId !== sellerId) {
    throw new AppError(403, 'NOT_SELLER', "Only the auction's seller can offer it to another bidder");
  }
}

export async function offerSecondChance(
  deps: OfferDeps,
  sellerId: string,
  auctionId: string,
  body: { offerWindowSeconds?: number | undefined },
): Promise<Offer> {
  await sellersAuction(deps.db, sellerId, auctionId);
  return deps.temporal.workflow
    .getHandle(settlementWorkflowId(auctionId))
    .executeUpdate(offerSecondChanceUpdate, {
      args: [body.offerWindowSeconds === undefined ? {} : { offerWindowSeconds: body.offerWindowSeconds }],
    })
    .catch(refusal);
}

/** The offer, if `userId` is its bidder or the seller. */
export async function readOfferOf(db: Database, userId: string, offerId: string): Promise<Offer> {
  if (!isUuid(offerId)) throw notFound('offer');
  const [row] = await db
    .select({ offer: secondChanceOffers, orderId: orders.id })
    .from(secondChanceOffers)
    .leftJoin(orders, eq(orders.offerId, secondChanceOffers.id))
    .where(
      and(
        eq(secondChanceOffers.id, offerId),
        or(eq(secondChanceOffers.bidderId, userId), eq(secondChanceOffers.sellerId, userId)),
      ),
    );
  if (!row) throw notFound('offer');
  return toOffer(row.offer, row.orderId);
}

export async function answerOffer(
  deps: OfferDeps,
  bidderId: string,
  offerId: string,
  accept: boolean,
): Promise<OfferAnswerResult> {
  const offer = await readOfferOf(deps.db, bidderId, offerId);
  if (offer.bidderId !== bidderId) throw notFound('offer');
  if (offer.status !== 'open') {
    throw new AppError(409, SETTLEMENT_REFUSALS.offerNotOpen, REFUSAL_MESSAGES[SETTLEMENT_REFUSALS.offerNotOpen]!, {
      status: offer.status,
    });
  }
  const result = await deps.temporal.workflow
    .getHandle(settlementWorkflowId(offer.auctionId))
    .executeUpdate(answerOfferUpdate, { args: [{ offerId, bidderId, accept }] })
    .catch(refusal);
  // The offer's expiry may have committed between the check above and the answer's write: then the
  // answer changed nothing, and says so, as a refusal.
  if (result.offer.status !== (accept ? 'accepted' : 'declined')) {
    const now = await readOfferOf(deps.db, bidderId, offerId);
    throw new AppError(409, SETTLEMENT_REFUSALS.offerNotOpen, REFUSAL_MESSAGES[SETTLEMENT_REFUSALS.offerNotOpen]!, {
      status: now.status,
    });
  }
  return result;
}
