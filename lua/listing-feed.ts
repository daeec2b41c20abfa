/**
 * The listing feed: one Redis stream that tells every API process's listing read model (api/discovery/)
 * what changed, as small notes. The bid script cannot write it: on a Cluster a script may touch only its
 * auction's slot, and a feed for all auctions lives in a slot of its own. So whoever learns of a change
 * appends a note after the fact: the API process that got a bid script's answer (coalesced, a few per
 * second), the API on create and cancel, the worker's activities on open, close and cancel. A note that
 * is lost (a process dies in between) is repaired by the read model's periodic reconcile from Postgres.
 *
 * A stream rather than pub/sub: its entry IDs put every change in one order that all processes agree
 * on (a listing cursor's snapshot version, docs/decisions.md "Discovery"), and a reader that reconnects
 * resumes after the last entry it read instead of losing what was said meanwhile.
 */
import { z } from 'zod';
import type { RedisClient } from '../config/redis.js';
import { AUCTION_OUTCOMES, AUCTION_STATUSES } from '../domain/auction-status.js';

/** No hash tag: a single key, in whatever slot it hashes to (one shard carries the feed on a Cluster). */
export const LISTING_FEED_KEY = 'listing:changes';
/** Trimmed approximately to this many entries: minutes of notes, for readers that were away a moment. */
const FEED_MAX_ENTRIES = 100_000;

const id = z.uuid();
const int = z.number().int().nonnegative();
const listingChange = z.discriminatedUnion('kind', [
  /** Only the id: each reader loads the row from its own database (one unknown to it is not its own). */
  z.object({ kind: z.literal('created'), id }),
  /** The public state after an accepted bid, as the bid script answered it. */
  z.object({
    kind: z.literal('bid'),
    id,
    seq: int,
    price: int,
    // Read by processes from before aliases only: the listing shows the alias below, never this.
    leaderId: z.string().nullable(),
    // Absent from notes written before aliases existed: the leader is then not known by alias.
    leaderAlias: int.nullable().default(null),
    minimumNextBid: int,
    endsAtMs: int,
    bidCount: int,
    reserveMet: z.boolean(),
    status: z.enum(AUCTION_STATUSES),
  }),
  /**
   * A flash sale's units available at its `version` (which every change moves: claims, payments,
   * expiries), from the claim route and the sale workflow's activities; the highest version wins. Its
   * phase moves by 'status' notes, as an auction's status does (a sale's phases are the same words).
   */
  z.object({ kind: z.literal('saleCounts'), id, version: int, available: int }),
  z.object({
    kind: z.literal('status'),
    id,
    status: z.enum(AUCTION_STATUSES),
    result: z
      .object({
        outcome: z.enum(AUCTION_OUTCOMES),
        winnerId: z.string().nullable(),
        finalPrice: int.nullable(),
        // A sale's order; absent from notes written before orders existed.
        orderId: z.string().optional(),
      })
      .nullable(),
  }),
]);
export type ListingChange = z.infer<typeof listingChange>;

export interface FeedEntry {
  streamId: string;
  /** The entry's place in the feed's one order, as a number (see versionOf). */
  version: number;
  /** Null when the entry is not a note this code can read (logged by the reader, then skipped). */
  changes: ListingChange[] | null;
}

/**
 * A stream ID (`<ms>-<seq>`) as one comparable number: ms × 1000 + seq. Exact below 2^53 until the
 * year 2255; a thousand entries in one millisecond would share the last value (only the snapshot's
 * precision within that millisecond would suffer; the feed sees a few hundred entries a second).
 */
export function versionOf(streamId: string): number {
  const [ms, seq] = streamId.split('-');
  return Number(ms) * 1000 + Math.min(Number(seq ?? 0), 999);
}

export async function appendListingChanges(redis: RedisClient, changes: ListingChange[]): Promise<string> {
  const entryId = await redis.xadd(
    LISTING_FEED_KEY,
    'MAXLEN',
    '~',
    String(FEED_MAX_ENTRIES),
    '*',
    'c',
    JSON.stringify(changes),
  );
  return entryId!;
}

const listingChanges = z.array(listingChange);

function parseChanges(fields: string[]): ListingChange[] | null {
  try {
    const parsed = listingChanges.safeParse(JSON.parse(fields[1] ?? ''));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Entries after `afterId`, oldest first. With `blockMs`, waits up to that long for one (the connection
 * can do nothing else meanwhile); without, answers at once. [] when there are none.
 */
export async function readListingChanges(
  redis: RedisClient,
  afterId: string,
  { blockMs, count }: { blockMs?: number; count: number },
): Promise<FeedEntry[]> {
  const reply =
    blockMs === undefined
      ? await redis.xread('COUNT', count, 'STREAMS', LISTING_FEED_KEY, afterId)
      : await redis.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', LISTING_FEED_KEY, afterId);
  const entries = reply?.[0]?.[1] ?? [];
  return entries.map(([streamId, fields]) => ({
    streamId,
    version: versionOf(streamId),
    changes: parseChanges(fields),
  }));
}

/** The ID of the newest entry, or '0-0' when the feed is empty. */
export async function listingFeedTail(redis: RedisClient): Promise<string> {
  const [last] = await redis.xrevrange(LISTING_FEED_KEY, '+', '-', 'COUNT', 1);
  return last?.[0] ?? '0-0';
}

/** Whether entries after `afterId` may have been trimmed away: the oldest entry left is newer than it. */
export async function listingFeedGapAfter(redis: RedisClient, afterId: string): Promise<boolean> {
  const [first] = await redis.xrange(LISTING_FEED_KEY, '-', '+', 'COUNT', 1);
  return first !== undefined && versionOf(first[0]) > versionOf(afterId) && afterId !== '0-0';
}
