/**
 * Use cases behind the image routes. An upload is checked whole (seller, room, type, size, header) on
 * this side, then written to S3 under a fresh random key, then recorded in Postgres: an object exists
 * only for an image that passed, and a row only for an object that was written.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { and, asc, count, eq } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { auctionImages, auctions } from '../../db/schema.js';
import { findAuctionRow, getAuction, type AuctionDeps } from '../auctions/service.js';
import { isAuctionId } from '../auctions/ids.js';
import { AppError, notFound } from '../errors.js';
import { newObjectKey } from './keys.js';
import { checkUploadHeaders, receiveImage } from './receive.js';
import type { PublicImage } from './responses.js';
import type { ImageStorage } from './storage.js';
import type { ImageContentType } from './types.js';

export interface ImageDeps {
  auctions: AuctionDeps;
  storage: ImageStorage;
  maxBytes: number;
  maxPerAuction: number;
  /** Where an upload is written while it is checked. */
  uploadDir: string;
}

type ImageRow = typeof auctionImages.$inferSelect;

const notSeller = () => new AppError(403, 'NOT_SELLER', "Only the auction's seller can change its images");

const full = (maxPerAuction: number) =>
  new AppError(409, 'TOO_MANY_IMAGES', `An auction has at most ${maxPerAuction} images`, { maxImages: maxPerAuction });

const present = (storage: ImageStorage, row: ImageRow): PublicImage => ({
  id: row.id,
  url: storage.urlOf(row.objectKey),
  contentType: row.contentType,
  bytes: row.bytes,
  width: row.width,
  height: row.height,
});

/** Any handle that queries: the pool's, or a transaction's. */
const imageCount = async (db: Pick<Database, 'select'>, auctionId: string) =>
  (await db.select({ n: count() }).from(auctionImages).where(eq(auctionImages.auctionId, auctionId)))[0]?.n ?? 0;

export async function uploadImage(
  deps: ImageDeps,
  userId: string,
  auctionId: string,
  req: IncomingMessage,
): Promise<PublicImage> {
  const { db, logger } = deps.auctions;
  // The live status (Redis and the clock): a cancel or a close shows there first.
  const auction = await getAuction(deps.auctions, auctionId);
  if (auction.sellerId !== userId) throw notSeller();
  if (auction.status === 'closed' || auction.status === 'cancelled') {
    throw new AppError(409, 'AUCTION_CLOSED', 'The auction is over: its images can no longer be added to');
  }
  checkUploadHeaders(req, deps.maxBytes);
  // Early, so a full auction does not cost an upload; checked again, under a lock, when recorded.
  if ((await imageCount(db, auctionId)) >= deps.maxPerAuction) throw full(deps.maxPerAuction);

  const dir = await mkdtemp(join(deps.uploadDir, 'gavel-upload-'));
  try {
    const image = await receiveImage(req, join(dir, 'image'), deps.maxBytes);
    const key = newObjectKey(image.contentType);
    await deps.storage.put({ key, ...image });
    try {
      return present(deps.storage, await recordImage(db, auctionId, { ...image, key }, deps.maxPerAuction));
    } catch (error) {
      // Not recorded: the object would be an orphan nobody can reach (its key was never shown).
      await deps.storage
        .remove(key)
        .catch((cause: unknown) => logger.warn({ err: cause, key }, 'orphaned image object (delete failed)'));
      throw error;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Inserts the row unless the auction is full; the auction's row lock makes concurrent uploads count in turn. */
function recordImage(
  db: Database,
  auctionId: string,
  image: { key: string; contentType: ImageContentType; bytes: number; width: number; height: number },
  maxPerAuction: number,
): Promise<ImageRow> {
  return db.transaction(async (tx) => {
    await tx.select({ id: auctions.id }).from(auctions).where(eq(auctions.id, auctionId)).for('update');
    if ((await imageCount(tx, auctionId)) >= maxPerAuction) throw full(maxPerAuction);
    const [row] = await tx
      .insert(auctionImages)
      .values({
        auctionId,
        objectKey: image.key,
        contentType: image.contentType,
        bytes: image.bytes,
        width: image.width,
        height: image.height,
      })
      .returning();
    return row!;
  });
}

/**
 * The object first, then the row: a failure between the two leaves a listed image whose URL is dead,
 * which the same DELETE, retried, finishes; the other order could leave a deleted image still served.
 * Allowed after the auction is over too: a seller must be able to take a picture down.
 */
export async function deleteImage(deps: ImageDeps, userId: string, auctionId: string, imageId: string) {
  const { db } = deps.auctions;
  const auction = await findAuctionRow(db, auctionId);
  if (auction.sellerId !== userId) throw notSeller();
  if (!isAuctionId(imageId)) throw notFound('image'); // the same UUID shape
  const [image] = await db
    .select()
    .from(auctionImages)
    .where(and(eq(auctionImages.id, imageId), eq(auctionImages.auctionId, auctionId)));
  if (!image) throw notFound('image');
  await deps.storage.remove(image.objectKey);
  await db.delete(auctionImages).where(eq(auctionImages.id, image.id));
}

/** Oldest first: the first image uploaded is the auction's cover. */
export async function listImages(db: Database, storage: ImageStorage, auctionId: string): Promise<PublicImage[]> {
  const rows = await db
    .select()
    .from(auctionImages)
    .where(eq(auctionImages.auctionId, auctionId))
    .orderBy(asc(auctionImages.createdAt), asc(auctionImages.id));
  return rows.map((row) => present(storage, row));
}
