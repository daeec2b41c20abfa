/**
 * The listing's page cursor: opaque to clients, base64url of a small JSON that says which query it
 * belongs to, the snapshot its traversal reads (a feed version and the first page's wall time), and
 * where the next page starts (the last item's sort key and id). Not signed (docs/decisions.md,
 * "Discovery"): everything in it is something the client could ask for anyway, and every field is
 * checked here, so a forged cursor gets a 400, never a 500 or someone else's data.
 */
import { and, eq, lt, or, sql, type Column, type SQL, type SQLWrapper } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../errors.js';

export interface ListingCursor {
  /** Digest of the query (filters, sort, search) the cursor was issued for. */
  query: string;
  /** The feed version of the snapshot. */
  asOf: number;
  /** The wall time of the first page, epoch ms. */
  atMs: number;
  key: number;
  id: string;
}

const safeInt = z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
const wire = z
  .object({
    v: z.literal(1),
    h: z.string().regex(/^[A-Za-z0-9_-]{16}$/),
    t: safeInt.nonnegative(),
    a: safeInt.nonnegative(),
    k: safeInt,
    i: z.uuid(),
  })
  .strict();

const invalid = () => new AppError(400, 'INVALID_CURSOR', 'The cursor is not one this API issued for this query');

/** Any cursor's wire form: base64url of JSON, so it is opaque to clients and safe in a query string. */
export const toOpaque = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The JSON inside an opaque cursor, or undefined when it holds none (its shape is the caller's to check). */
export function fromOpaque(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

export const encodeCursor = (cursor: ListingCursor): string =>
  toOpaque({ v: 1, h: cursor.query, t: cursor.asOf, a: cursor.atMs, k: cursor.key, i: cursor.id });

/** Checks the shape and that it belongs to `query`; how old it may be is the caller's to judge. */
export function decodeCursor(cursor: string, query: string): ListingCursor {
  const parsed = wire.safeParse(fromOpaque(cursor));
  if (!parsed.success || parsed.data.h !== query) throw invalid();
  const { t, a, k, i } = parsed.data;
  return { query, asOf: t, atMs: a, key: k, id: i };
}

/**
 * Keyset cursors of the per-user lists (a seller's auctions, a watchlist, a bidder's auctions): where
 * the next page starts, as the last item's time (µs since the epoch, as Postgres keeps it: 16 digits
 * until the year 2286) and id. At most 18 digits, so a forged one stays inside a bigint (19 digits
 * could pass its maximum: a Postgres range error, a 500).
 */
export interface KeysetPosition {
  micros: string;
  id: string;
}

const keysetWire = z.object({ c: z.string().regex(/^\d{1,18}$/), i: z.uuid() }).strict();

export const encodeKeyset = (position: KeysetPosition): string => toOpaque({ c: position.micros, i: position.id });

/** An empty cursor is the first page (undefined), as on the other listings; a forged one is a 400. */
export function decodeKeyset(cursor: string | undefined): KeysetPosition | undefined {
  if (!cursor) return undefined;
  const parsed = keysetWire.safeParse(fromOpaque(cursor));
  if (!parsed.success) throw new AppError(400, 'INVALID_CURSOR', 'The cursor is not one this API issued');
  return { micros: parsed.data.c, id: parsed.data.i };
}

/**
 * A timestamptz in microseconds, as the column keeps it: a JavaScript Date (ms) would page past rows
 * of the same millisecond as the cursor's.
 */
export const micros = (instant: SQLWrapper): SQL<string> =>
  sql<string>`(extract(epoch from ${instant}) * 1000000)::bigint`;

/** The rows after `position` in a (key desc, id desc) order; no condition on the first page. */
export const pastKeyset = (position: KeysetPosition | undefined, key: SQL<string>, id: Column): SQL | undefined =>
  position && or(lt(key, position.micros), and(eq(key, position.micros), lt(id, position.id)));
