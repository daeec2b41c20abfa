/**
 * GET /v1/users/me/auctions: a seller's own auctions, all of them, newest first, from Postgres. The
 * listing (GET /v1/auctions) shows ended auctions only for DISCOVERY_ENDED_LISTED_DAYS; a seller's
 * history goes further back, and rows that no longer change page exactly with a keyset on
 * (created_at, id). Live auctions show their live state from Redis, as GET /v1/auctions/:id does.
 */
import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auctions } from '../../db/schema.js';
import { AppError } from '../errors.js';
import { fromOpaque, toOpaque } from './cursor.js';
import { presentAuction } from './presenter.js';
import type { AuctionPage } from './responses.js';
import { auctionRowColumns } from './rules.js';
import type { AuctionDeps } from './service.js';

/**
 * Where the next page starts: the last item's creation time (µs since the epoch, as Postgres keeps it:
 * 16 digits until the year 2286) and id. At most 18 digits, so a forged one stays inside a bigint
 * (19 digits could pass its maximum: a Postgres range error, a 500).
 */
const cursorWire = z.object({ c: z.string().regex(/^\d{1,18}$/), i: z.uuid() }).strict();

const invalidCursor = () => new AppError(400, 'INVALID_CURSOR', 'The cursor is not one this API issued');

function decode(cursor: string): { createdAtMicros: string; id: string } {
  const parsed = cursorWire.safeParse(fromOpaque(cursor));
  if (!parsed.success) throw invalidCursor();
  return { createdAtMicros: parsed.data.c, id: parsed.data.i };
}

const encode = (createdAtMicros: string, id: string) => toOpaque({ c: createdAtMicros, i: id });

export async function listMyAuctions(
  deps: Pick<AuctionDeps, 'db' | 'store'>,
  sellerId: string,
  query: { limit: number; cursor?: string | undefined },
): Promise<AuctionPage> {
  // Microseconds, as the column keeps them: a JavaScript Date (ms) would page past rows created in
  // the same millisecond as the cursor's.
  const createdMicros = sql<string>`(extract(epoch from ${auctions.createdAt}) * 1000000)::bigint`;
  // An empty cursor is the first page, as on the other listings.
  const after = query.cursor ? decode(query.cursor) : undefined;
  const position =
    after &&
    or(
      lt(createdMicros, after.createdAtMicros),
      and(eq(createdMicros, after.createdAtMicros), lt(auctions.id, after.id)),
    );
  const rows = await deps.db
    .select({ ...auctionRowColumns, createdMicros })
    .from(auctions)
    .where(and(eq(auctions.sellerId, sellerId), position))
    .orderBy(desc(auctions.createdAt), desc(auctions.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const items = await Promise.all(
    page.map(async ({ createdMicros: _, ...row }) => {
      // A closed or cancelled auction's row is final; only a live one has a fresher state in Redis.
      const live = row.status === 'scheduled' || row.status === 'open' ? await deps.store.readState(row.id) : null;
      return presentAuction(row, live?.state ?? null);
    }),
  );
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > query.limit && last ? encode(last.createdMicros, last.id) : null };
}
