/**
 * An auction's images, copied for the auction a relist makes of it. Each object is copied inside the
 * bucket to a fresh random key: two auctions never share an object, so the seller deleting an image of
 * one never takes it from the other. The objects are copied first and the rows written after, in the
 * relist's transaction: a row only ever names an object that exists. A copy that fails, or a relist
 * that then does not happen, removes the objects it copied (a removal that fails too leaves an object
 * no row names and no client knows the key of: logged, and harmless but for its bytes).
 */
import { asc, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database } from '../../db/pool.js';
import { auctionImages } from '../../db/schema.js';
import { newObjectKey } from './keys.js';
import type { ImageStorage } from './storage.js';
import type { ImageContentType } from './types.js';

type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

export interface ImageCopy {
  key: string;
  contentType: ImageContentType;
  bytes: number;
  width: number;
  height: number;
}

/** Copies every image of the auction to new keys, in its order (oldest first: the cover first). */
export async function copyImagesOf(
  db: Database,
  storage: ImageStorage,
  logger: Logger,
  auctionId: string,
): Promise<ImageCopy[]> {
  const rows = await db
    .select()
    .from(auctionImages)
    .where(eq(auctionImages.auctionId, auctionId))
    .orderBy(asc(auctionImages.createdAt), asc(auctionImages.id));
  const copies = rows.map((row) => ({
    key: newObjectKey(row.contentType),
    contentType: row.contentType,
    bytes: row.bytes,
    width: row.width,
    height: row.height,
  }));
  const copied = await Promise.allSettled(rows.map((row, i) => storage.copy(row.objectKey, copies[i]!.key)));
  const failed = copied.find((outcome) => outcome.status === 'rejected');
  if (failed) {
    // Every key, not only the copies that answered: one that timed out may still have been made.
    await removeImageCopies(storage, logger, copies);
    throw failed.reason;
  }
  // An image whose object is gone is being deleted (the object goes first, then its row): its URL is
  // dead already, so it is left out rather than failing the relist.
  return copies.filter((_, i) => {
    const outcome = copied[i]!;
    return outcome.status === 'fulfilled' && outcome.value;
  });
}

/** Best effort: a key that cannot be removed is logged, never thrown, so the caller's own error stands. */
export async function removeImageCopies(storage: ImageStorage, logger: Logger, copies: readonly ImageCopy[]) {
  await Promise.all(
    copies.map(({ key }) =>
      storage
        .remove(key)
        .catch((error: unknown) => logger.warn({ err: error, key }, 'orphaned image copy (delete failed)')),
    ),
  );
}

/**
 * The new auction's rows for the copies. Each its own moment a millisecond apart, so the listing's
 * order (created_at, then id) is the original's whatever ids they draw.
 */
export async function recordImageCopies(tx: Transaction, auctionId: string, copies: readonly ImageCopy[]) {
  if (copies.length === 0) return;
  const now = Date.now();
  await tx.insert(auctionImages).values(
    copies.map((copy, i) => ({
      auctionId,
      objectKey: copy.key,
      contentType: copy.contentType,
      bytes: copy.bytes,
      width: copy.width,
      height: copy.height,
      createdAt: new Date(now + i),
    })),
  );
}

/** Takes back the rows of a relist that could not be scheduled (the objects go with removeImageCopies). */
export async function forgetImageCopies(tx: Transaction, auctionId: string) {
  await tx.delete(auctionImages).where(eq(auctionImages.auctionId, auctionId));
}
