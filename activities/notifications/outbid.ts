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
import { readAuctionFacts } from './auction-facts.js';
import type { NotificationPipeline } from './pipeline.js';

export interface CopiedBid extends LeadChange {
  endsAtMs: number;
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
  const facts = await readAuctionFacts(db, auctionId);
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
