/**
 * The durable record (drizzle). Money columns are bigint minor units read as JS numbers: the API
 * refuses amounts above Number.MAX_SAFE_INTEGER, so they stay exact. Times are timestamptz (UTC).
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { AUCTION_OUTCOMES, AUCTION_STATUSES, BID_KINDS } from '../domain/auction-status.js';
import { ROLES, type Role } from '../domain/moderation/roles.js';
import type { RetractionMode, RetractionScope } from '../domain/retraction.js';
import { auctionCategory } from './category-enum.js';

const money = (name: string) => bigint(name, { mode: 'number' });
const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const auctionStatus = pgEnum('auction_status', AUCTION_STATUSES);
export const auctionOutcome = pgEnum('auction_outcome', AUCTION_OUTCOMES);
export const bidKind = pgEnum('bid_kind', BID_KINDS);
// --- Discovery ---
export { auctionCategory };
/** drizzle has no tsvector column type; Postgres full-text search needs one. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
// --- end Discovery ---

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    /** Null for accounts that only sign in through SSO. */
    passwordHash: text('password_hash'),
    displayName: text('display_name').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    /** Set when the account is deleted: the row stays (bids and auctions point at it), anonymised. */
    deletedAt: instant('deleted_at'),
    // --- Moderation (domain/moderation/, api/admin/) ---
    /** As granted by an admin; ADMIN_EMAILS makes more admins at request time (domain/moderation/roles.ts). */
    role: text('role').$type<Role>().notNull().default('user'),
    /** Set while an admin has blocked the account: it may not bid, sell or claim. */
    blockedAt: instant('blocked_at'),
    blockedReason: text('blocked_reason'),
    /**
     * One more at each block or unblock: API processes learn of these through Redis, and the version
     * keeps an older state from overwriting a newer one (domain/moderation/blocks.ts).
     */
    blockVersion: integer('block_version').notNull().default(0),
  },
  (t) => [
    uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`),
    check('users_role', sql.raw(`"role" IN (${ROLES.map((role) => `'${role}'`).join(', ')})`)),
    check('users_blocked_reason', sql`(${t.blockedAt} IS NULL) = (${t.blockedReason} IS NULL)`),
    // The API refills Redis from these at start.
    index('users_block_version_idx')
      .on(t.id)
      .where(sql`${t.blockVersion} > 0`),
  ],
);

export const auctions = pgTable(
  'auctions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sellerId: uuid('seller_id')
      .notNull()
      .references(() => users.id),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    currency: text('currency').notNull().default('USD'),
    startingPrice: money('starting_price').notNull(),
    reservePrice: money('reserve_price'),
    buyNowPrice: money('buy_now_price'),
    softCloseWindowSeconds: integer('soft_close_window_seconds').notNull().default(0),
    softCloseExtendSeconds: integer('soft_close_extend_seconds').notNull().default(0),
    startsAt: instant('starts_at').notNull(),
    /** The scheduled end; soft close moves it, and the final value is written at close. */
    endsAt: instant('ends_at').notNull(),
    status: auctionStatus('status').notNull().default('scheduled'),
    outcome: auctionOutcome('outcome'),
    winnerId: uuid('winner_id').references(() => users.id),
    finalPrice: money('final_price'),
    bidCount: integer('bid_count').notNull().default(0),
    cancelReason: text('cancel_reason'),
    createdAt: instant('created_at').notNull().defaultNow(),
    closedAt: instant('closed_at'),
    // --- Discovery ---
    category: auctionCategory('category'),
    /**
     * A copy of Redis's bidding state as of the last persisted bid (the persist activity writes it with
     * bidCount), so a listing read model can load and reconcile from Postgres alone. Null before any
     * bid: the price is then the starting price.
     */
    currentPrice: money('current_price'),
    leaderId: uuid('leader_id'),
    /**
     * The seq of the last stream entry (bid or retraction) copied into the row: what keeps a late batch
     * from taking the copy back. Apart from bid_count, which a retraction lowers.
     */
    biddingSeq: integer('bidding_seq').notNull().default(0),
    /** The leader's alias (domain/bidder-alias.ts), copied with leader_id: what everyone else is shown. */
    leaderAlias: integer('leader_alias'),
    /**
     * When the row last changed, to the millisecond (so it round-trips through a JS Date exactly): the
     * listing read models reconcile from the rows changed since their last look (api/discovery/).
     * Every update through drizzle sets it.
     */
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date', precision: 3 })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
    /** Title and description for full-text search (websearch_to_tsquery), weighted title first. */
    search: tsvector('search').generatedAlwaysAs(
      sql`setweight(to_tsvector('english'::regconfig, title), 'A') || setweight(to_tsvector('english'::regconfig, description), 'B')`,
    ),
    // --- end Discovery ---
    // --- Settlement (db/settlement-schema.ts has its tables) ---
    /** From the order's creation; the API sets it from SETTLEMENT_PAYMENT_WINDOW_SECONDS when not given. */
    paymentWindowSeconds: integer('payment_window_seconds').notNull().default(259_200),
    buyersPremiumBps: integer('buyers_premium_bps').notNull().default(0),
    autoSecondChance: boolean('auto_second_chance').notNull().default(false),
    /** The order the close made for the winner. */
    orderId: uuid('order_id'),
    /** The auction a relist made of this one: once only. */
    relistedAs: uuid('relisted_as').unique(),
    relistedFrom: uuid('relisted_from'),
    // --- end Settlement ---
  },
  (t) => [
    index('auctions_status_ends_at_idx').on(t.status, t.endsAt),
    index('auctions_seller_id_idx').on(t.sellerId),
    // Discovery: full-text search, and the reconcile's "changed since" scan.
    index('auctions_search_idx').using('gin', t.search),
    index('auctions_updated_at_idx').on(t.updatedAt, t.id),
    check('auctions_currency_iso', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('auctions_starting_price_positive', sql`${t.startingPrice} > 0`),
    check('auctions_ends_after_start', sql`${t.endsAt} > ${t.startsAt}`),
    check('auctions_buyers_premium_bps', sql`${t.buyersPremiumBps} BETWEEN 0 AND 5000`),
    check('auctions_payment_window_positive', sql`${t.paymentWindowSeconds} > 0`),
  ],
);

export const bids = pgTable(
  'bids',
  {
    auctionId: uuid('auction_id')
      .notNull()
      .references(() => auctions.id),
    /** Per-auction sequence assigned by Redis; (auction_id, seq) makes re-persisting a no-op. */
    seq: integer('seq').notNull(),
    bidderId: uuid('bidder_id')
      .notNull()
      .references(() => users.id),
    /** The visible price after this bid (the leader's proxy may have answered above this bid's max). */
    amount: money('amount').notNull(),
    /** The bidder's maximum: private, never served by the public API. */
    maxAmount: money('max_amount').notNull(),
    kind: bidKind('kind').notNull(),
    /** Redis time when the bid was decided. */
    placedAt: instant('placed_at').notNull(),
    /** The bidder's public number on this auction ("Bidder 7"), as the bid script gave it. */
    bidderAlias: integer('bidder_alias'),
    /** The auction's bid count after this bid (retracted bids no longer count); null on older rows: the seq. */
    bidCountAfter: integer('bid_count_after'),
    /** The retraction or void that took this bid back (its seq in bid_retractions); null while it stands. */
    retractedBySeq: integer('retracted_by_seq'),
  },
  (t) => [
    primaryKey({ columns: [t.auctionId, t.seq] }),
    index('bids_bidder_id_idx').on(t.bidderId),
    // Not maxAmount >= amount: a challenger who loses to a higher proxy leaves a price above its own max.
    check('bids_amounts_positive', sql`${t.amount} > 0 AND ${t.maxAmount} > 0`),
  ],
);

/**
 * Retractions and voids, one row each, keyed like the bids by the seq the script gave them: the persist
 * cycle copies them from the stream (ON CONFLICT DO NOTHING makes a repeat a no-op) and marks the bids
 * they took back.
 */
export const bidRetractions = pgTable(
  'bid_retractions',
  {
    auctionId: uuid('auction_id')
      .notNull()
      .references(() => auctions.id),
    seq: integer('seq').notNull(),
    bidderId: uuid('bidder_id')
      .notNull()
      .references(() => users.id),
    /** 'retract' (the bidder's own) or 'void' (an admin's). */
    mode: text('mode').$type<RetractionMode>().notNull(),
    /** 'all' of the bidder's bids before seq, or only the 'last' (last_seq). */
    scope: text('scope').$type<RetractionScope>().notNull(),
    lastSeq: integer('last_seq').notNull(),
    bidderAlias: integer('bidder_alias').notNull(),
    /** The price and bid count it left (the SSE replay shows them). */
    priceAfter: money('price_after').notNull(),
    bidCountAfter: integer('bid_count_after').notNull(),
    reason: text('reason').notNull(),
    /** The bidder, or the admin who voided. */
    actorId: uuid('actor_id').notNull(),
    requestId: text('request_id').notNull(),
    /** Redis time when the script decided it. */
    retractedAt: instant('retracted_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.auctionId, t.seq] }),
    // A user's own retractions in the last months (RETRACTIONS_TO_BLOCK), and the count sellers see.
    index('bid_retractions_bidder_id_retracted_at_idx').on(t.bidderId, t.retractedAt),
    check('bid_retractions_mode', sql`${t.mode} IN ('retract', 'void')`),
    check('bid_retractions_scope', sql`${t.scope} IN ('all', 'last')`),
  ],
);

// --- Images ---
/** The only types an upload may be (sniffed from its bytes, never taken from the client). */
export const IMAGE_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

/** An auction's images: the bytes are in the S3 bucket under objectKey, served by URL from there. */
export const auctionImages = pgTable(
  'auction_images',
  {
    /** The id clients name (to delete it); the object key is a separate secret-looking random string. */
    id: uuid('id').primaryKey().defaultRandom(),
    auctionId: uuid('auction_id')
      .notNull()
      .references(() => auctions.id),
    /** Random (128 bits), so nobody can guess another image's URL: never derived from ids or names. */
    objectKey: text('object_key').notNull(),
    contentType: text('content_type').$type<(typeof IMAGE_CONTENT_TYPES)[number]>().notNull(),
    bytes: integer('bytes').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('auction_images_object_key_key').on(t.objectKey),
    index('auction_images_auction_id_created_at_idx').on(t.auctionId, t.createdAt),
    check(
      'auction_images_content_type',
      sql`${t.contentType} IN (${sql.raw(IMAGE_CONTENT_TYPES.map((type) => `'${type}'`).join(', '))})`,
    ),
    check('auction_images_sizes_positive', sql`${t.bytes} > 0 AND ${t.width} > 0 AND ${t.height} > 0`),
  ],
);

// --- Sign-in with SSO, refresh tokens ---

/** Who a user is at an OpenID provider: (issuer, subject) names one person for good; an email does not. */
export const userIdentities = pgTable(
  'user_identities',
  {
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.issuer, t.subject] }), index('user_identities_user_id_idx').on(t.userId)],
);

/**
 * Refresh tokens, by the SHA-256 of the token (the token itself is never stored). One sign-in starts a
 * family; each use retires its token (`used_at`) and adds the next one to the family; a retired token
 * used again revokes the whole family (`revoked_at`).
 */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    familyId: uuid('family_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: instant('created_at').notNull().defaultNow(),
    expiresAt: instant('expires_at').notNull(),
    usedAt: instant('used_at'),
    revokedAt: instant('revoked_at'),
  },
  (t) => [index('refresh_tokens_family_id_idx').on(t.familyId), index('refresh_tokens_user_id_idx').on(t.userId)],
);

export * from './audit-log-schema.js';
export * from './notifications-schema.js';
export * from './promotions-schema.js';
export * from './sales-schema.js';
export * from './settlement-schema.js';
