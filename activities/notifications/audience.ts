/**
 * Notifications to an auction's audience (watchers, bidders, winner, seller) at its moments: started,
 * ending soon, cancelled, closed. One activity call covers the whole audience, page by page of
 * recipients (keyset on user id), each page one INSERT … SELECT: an auction with 10,000 watchers is a
 * few statements and one activity in the workflow's history, not 10,000 of anything. A retried call
 * resumes after the last page it reported in a heartbeat, and the dedupe keys make any overlap harmless.
 */
import { Context } from '@temporalio/activity';
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { AUDIENCES, type Audience, type AuctionMoment } from '../../domain/notifications/audience.js';
import { oncePerAuctionKey } from '../../domain/notifications/dedupe-keys.js';
import { DEFAULT_ENDING_SOON_MINUTES } from '../../domain/notifications/ending-soon.js';
import type { NotificationData, NotificationType } from '../../domain/notifications/types.js';
import { readAuctionFacts, type AuctionFacts } from './auction-facts.js';
import type { NotificationPipeline } from './pipeline.js';

/** Recipients per statement: large enough to be few statements, small enough to keep each one short. */
export const AUDIENCE_PAGE = 1000;
const NO_USER = '00000000-0000-0000-0000-000000000000';

export interface AuctionMomentInput {
  auctionId: string;
  moment: AuctionMoment;
  /** ending_soon: the lead time being said; only users who chose it hear it. */
  minutes?: number;
  /** ending_soon: the end as the workflow knows it (Postgres may not have a soft-close extension yet). */
  endsAt?: string;
}

interface Progress {
  audience: number;
  after: string;
}

/** The users of one audience, as a query yielding user_id (the seller is never part of the crowd). */
function audienceQuery(audience: Audience, facts: AuctionFacts): SQL {
  const id = facts.id;
  switch (audience) {
    case 'watchers':
      return sql`SELECT user_id FROM watchlist WHERE auction_id = ${id}`;
    case 'watchers_and_bidders':
      return sql`SELECT user_id FROM watchlist WHERE auction_id = ${id}
                 UNION SELECT bidder_id FROM bids WHERE auction_id = ${id}`;
    case 'winner':
      return facts.outcome === 'sold' && facts.winnerId
        ? sql`SELECT ${facts.winnerId}::uuid AS user_id`
        : sql`SELECT NULL::uuid AS user_id WHERE false`;
    case 'losing_bidders':
      return sql`SELECT DISTINCT bidder_id AS user_id FROM bids
                  WHERE auction_id = ${id} AND bidder_id <> ${facts.outcome === 'sold' ? facts.winnerId! : NO_USER}::uuid`;
    case 'seller':
      return sql`SELECT ${facts.sellerId}::uuid AS user_id`;
  }
}

/** What the notification says, per type. */
function dataFor(type: NotificationType, facts: AuctionFacts, input: AuctionMomentInput): NotificationData {
  const base = { title: facts.title, currency: facts.currency };
  switch (type) {
    case 'auction_started':
      return { ...base, currentPrice: facts.currentPrice, minimumNextBid: facts.minimumNextBid, endsAt: facts.endsAt };
    case 'auction_ending_soon':
      return {
        ...base,
        currentPrice: facts.currentPrice,
        minimumNextBid: facts.minimumNextBid,
        endsAt: input.endsAt ?? facts.endsAt,
        minutesLeft: input.minutes!,
      };
    case 'auction_cancelled':
      return { ...base, reason: facts.cancelReason };
    case 'auction_ended':
      return { ...base, outcome: facts.outcome!, finalPrice: facts.finalPrice, winnerId: facts.winnerId };
    default:
      return { ...base, outcome: facts.outcome!, finalPrice: facts.finalPrice };
  }
}

export function createAudienceActivities(db: Database, pipeline: NotificationPipeline) {
  /** One page of an audience after `after`, in user id order. */
  async function page(audience: Audience, facts: AuctionFacts, input: AuctionMomentInput, after: string) {
    const crowd = audience === 'watchers' || audience === 'watchers_and_bidders';
    // Only "ending soon" depends on a setting: the lead time each user chose.
    const [settings, leadTime] =
      input.moment === 'ending_soon'
        ? [
            sql`LEFT JOIN notification_settings s ON s.user_id = a.user_id`,
            sql`AND COALESCE(s.ending_soon_minutes, ${DEFAULT_ENDING_SOON_MINUTES}) = ${input.minutes!}`,
          ]
        : [sql``, sql``];
    const { rows } = await db.execute<{ user_id: string }>(sql`
      SELECT a.user_id FROM (${audienceQuery(audience, facts)}) a ${settings}
       WHERE a.user_id > ${after}::uuid ${crowd ? sql`AND a.user_id <> ${facts.sellerId}::uuid` : sql``} ${leadTime}
       ORDER BY a.user_id LIMIT ${AUDIENCE_PAGE}`);
    return rows.map((row) => row.user_id);
  }

  return {
    /** Tells the auction's audience of one of its moments, once per user. Returns how many were new. */
    async notifyAuctionMoment(input: AuctionMomentInput): Promise<number> {
      const facts = await readAuctionFacts(db, input.auctionId);
      if (!facts) return 0;
      const context = Context.current();
      const resumed = context.info.heartbeatDetails as Progress | undefined;
      const audiences = AUDIENCES[input.moment];
      let created = 0;
      for (let index = resumed?.audience ?? 0; index < audiences.length; index++) {
        const { audience, type } = audiences[index]!;
        const data = JSON.stringify(dataFor(type, facts, input));
        let after = resumed?.audience === index ? resumed.after : NO_USER;
        for (;;) {
          const users = await page(audience, facts, input, after);
          if (users.length === 0) break;
          const keys = users.map((user) =>
            oncePerAuctionKey(type as Exclude<NotificationType, 'outbid'>, facts.id, user),
          );
          const stored = await pipeline.deliver(sql`
            SELECT r.user_id, ${type}::text AS type, ${facts.id}::uuid AS auction_id, r.dedupe_key, ${data}::jsonb AS data
              FROM unnest(${sql.param(users)}::uuid[], ${sql.param(keys)}::text[]) AS r(user_id, dedupe_key)`);
          created += stored.length;
          after = users[users.length - 1]!;
          context.heartbeat({ audience: index, after } satisfies Progress);
          if (users.length < AUDIENCE_PAGE) break;
        }
      }
      return created;
    },
  };
}
