/**
 * Relisting: the seller puts a lot that did not sell (or whose sale came to nothing) up again, as a
 * new auction with the same lot, images and rules, and new dates. In this order:
 *
 * 1. The checks (domain/relist.ts), from the rows.
 * 2. A sold lot's settlement is asked to end: its workflow decides (api/settlement/relist.ts).
 * 3. The images are copied to new keys (api/images/copies.ts): objects before rows.
 * 4. One transaction, under the original's row lock: the checks again, the new auction's row (its
 *    `relisted_from`), its images' rows, and the original's `relisted_as`. Two relists at once make one
 *    auction: the second finds `relisted_as` set, answers 409 ALREADY_RELISTED and removes its copies.
 * 5. The new auction is scheduled as a created one is (service.ts); if that fails, step 4 is taken
 *    back and the copies removed, so a retry starts afresh.
 */
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { auctions } from '../../db/schema.js';
import { needsSaleAftermath, relistRefusal, type RelistRefusal } from '../../domain/relist.js';
import {
  copyImagesOf,
  forgetImageCopies,
  recordImageCopies,
  removeImageCopies,
  type ImageCopy,
} from '../images/copies.js';
import type { ImageStorage } from '../images/storage.js';
import { endSettlementForRelist, saleAftermathOf } from '../settlement/relist.js';
import { AppError } from '../errors.js';
import type { PublicAuction } from './presenter.js';
import { auctionRowColumns, type AuctionRow } from './rules.js';
import type { CreateAuctionBody, RelistBody } from './schemas.js';
import { findAuctionRow, newAuctionRow, scheduleAuction, type AuctionDeps } from './service.js';
import { termsOf } from './terms.js';

export interface RelistDeps {
  auctions: AuctionDeps;
  storage: ImageStorage;
}

const REFUSAL_MESSAGES: Record<RelistRefusal, string> = {
  not_ended: 'The auction has not ended: only an ended auction can be relisted',
  cancelled: 'The auction was cancelled: create a new auction instead',
  sold_before_settlement: 'The lot sold before orders existed: whether it was paid is not known here',
  paid: 'The lot was sold and paid for',
  order_live: 'An order for the lot is awaiting payment',
  offer_live: 'A second-chance offer for the lot is open',
  settlement_busy: 'The lot is being offered to the next bidder, or another request is in progress; retry shortly',
};

const notRelistable = (reason: RelistRefusal) =>
  new AppError(409, 'NOT_RELISTABLE', REFUSAL_MESSAGES[reason], { reason });

const alreadyRelisted = (relistedAs: string) =>
  new AppError(409, 'ALREADY_RELISTED', 'The auction has already been relisted', { relistedAs });

export async function relistAuction(
  deps: RelistDeps,
  sellerId: string,
  auctionId: string,
  dates: RelistBody,
): Promise<PublicAuction> {
  const { db, logger, temporal } = deps.auctions;
  const original = await findAuctionRow(db, auctionId);
  if (original.sellerId !== sellerId) throw new AppError(403, 'NOT_SELLER', 'Only the seller can relist this auction');
  await mustBeRelistable(db, original);
  if (needsSaleAftermath(original)) {
    const refusal = await endSettlementForRelist(temporal, original.id);
    if (refusal) throw notRelistable(refusal);
  }

  const copies = await copyImagesOf(db, deps.storage, logger, original.id);
  const values = newAuctionRow(sellerId, sameLot(original, dates));
  const relisted = await recordRelist(db, original.id, values, copies).catch(async (error: unknown) => {
    await removeImageCopies(deps.storage, logger, copies);
    throw error;
  });
  return scheduleAuction(deps.auctions, relisted, async () => {
    await undoRelist(db, original.id, relisted.id);
    await removeImageCopies(deps.storage, logger, copies);
  });
}

/** What the seller would have sent to create the original, with the new dates. */
function sameLot(original: AuctionRow, dates: RelistBody): CreateAuctionBody {
  return {
    title: original.title,
    description: original.description,
    category: original.category ?? undefined,
    currency: original.currency,
    startingPrice: original.startingPrice,
    reservePrice: original.reservePrice,
    buyNowPrice: original.buyNowPrice,
    softClose: { windowSeconds: original.softCloseWindowSeconds, extendSeconds: original.softCloseExtendSeconds },
    startsAt: dates.startsAt,
    endsAt: dates.endsAt,
    ...termsOf(original),
  };
}

async function mustBeRelistable(db: Pick<Database, 'select'>, row: AuctionRow): Promise<void> {
  if (row.relistedAs !== null) throw alreadyRelisted(row.relistedAs);
  const refusal = relistRefusal(row, needsSaleAftermath(row) ? await saleAftermathOf(db, row.id) : null);
  if (refusal) throw notRelistable(refusal);
}

function recordRelist(
  db: Database,
  originalId: string,
  values: typeof auctions.$inferInsert,
  copies: readonly ImageCopy[],
): Promise<AuctionRow> {
  return db.transaction(async (tx) => {
    const [original] = await tx
      .select(auctionRowColumns)
      .from(auctions)
      .where(eq(auctions.id, originalId))
      .for('update');
    await mustBeRelistable(tx, original!);
    const [row] = await tx
      .insert(auctions)
      .values({ ...values, relistedFrom: originalId })
      .returning(auctionRowColumns);
    await tx.update(auctions).set({ relistedAs: row!.id }).where(eq(auctions.id, originalId));
    await recordImageCopies(tx, row!.id, copies);
    return row!;
  });
}

/** The relist could not be scheduled: the original is free to be relisted again, and the new row goes. */
function undoRelist(db: Database, originalId: string, relistedId: string): Promise<void> {
  return db.transaction(async (tx) => {
    await tx
      .update(auctions)
      .set({ relistedAs: null })
      .where(and(eq(auctions.id, originalId), eq(auctions.relistedAs, relistedId)));
    await forgetImageCopies(tx, relistedId);
    await tx.delete(auctions).where(eq(auctions.id, relistedId));
  });
}
