/**
 * Outbid notifications, derived in the persist cycle from the bids it copies (never on the bid route:
 * no Redis call or signal per bid). Each loss of the lead is one notification, keyed by the seq of the
 * bid that took it, so a retried cycle writes nothing twice.
 */
import { sql } from 'drizzle-orm';
import { increment } from '../../domain/increments.js';
import { outbidKey } from '../../domain/notifications/dedupe-keys.js';
import { outbidsIn, type LeadChange } from '../../domain/notifications/outbid.js';
import type { NotificationData } from '../../domain/notifications/types.js';
import type { Database } from '../../db/pool.js';
import { readAuctionFacts, type AuctionFacts } from './auction-facts.js';
import type { NotificationPipeline } from './pipeline.js';

export interface CopiedBid extends LeadChange {
  endsAtMs: number;
}

/** Titles and currencies do not change while bids come: read once per auction, not per batch. */
const FACTS_CACHED = 1000;
const factsCache = new Map<string, Pick<AuctionFacts, 'title' | 'currency'>>();

async function titleAndCurrency(db: Database, auctionId: string) {
  const cached = factsCache.get(auctionId);
  if (cached) return cached;
  const facts = await readAuctionFacts(db, auctionId);
  if (!facts) return null;
  if (factsCache.size >= FACTS_CACHED) factsCache.delete(factsCache.keys().next().value!);
  const entry = { title: facts.title, currency: facts.currency };
  factsCache.set(auctionId, entry);
  return entry;
}

export async function notifyOutbids(
  db: Database,
  pipeline: NotificationPipeline,
  auctionId: string,
  leaderBefore: string | null,
  bids: readonly CopiedBid[],
): Promise<number> {
  const outbids = outbidsIn(leaderBefore, bids);
  if (outbids.length === 0) return 0;
  const facts = await titleAndCurrency(db, auctionId);
  if (!facts) return 0;
  const endsAtBySeq = new Map(bids.map((bid) => [bid.seq, bid.endsAtMs]));
  const rows = outbids.map((outbid) => {
    const data: NotificationData = {
      title: facts.title,
      currency: facts.currency,
      currentPrice: outbid.price,
      minimumNextBid: outbid.price + increment(outbid.price),
      endsAt: new Date(endsAtBySeq.get(outbid.seq)!).toISOString(),
    };
    return sql`(${outbid.userId}::uuid, 'outbid', ${auctionId}::uuid, ${outbidKey(auctionId, outbid.userId, outbid.seq)}, ${JSON.stringify(data)}::jsonb)`;
  });
  const stored = await pipeline.deliver(
    sql`SELECT * FROM (VALUES ${sql.join(rows, sql`, `)}) AS r(user_id, type, auction_id, dedupe_key, data)`,
  );
  return stored.length;
}
