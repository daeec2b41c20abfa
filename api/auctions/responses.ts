/**
 * The auction routes' answers, as zod schemas: the presenters are typed by them and the OpenAPI
 * document is generated from them (api/openapi/).
 */
import { z } from 'zod';
import { AUCTION_OUTCOMES, AUCTION_STATUSES, BID_KINDS } from '../../domain/auction-status.js';
import { AUCTION_CATEGORIES } from '../../domain/categories.js';
import { SALE_STATUSES } from '../../domain/sales/sale.js';
import { MAX_BUYERS_PREMIUM_BPS } from '../../domain/settlement/amounts.js';
import { count, instant, money, uuid } from '../wire-types.js';

/** A bidder as everyone sees them: their number on this auction. */
export const bidderAlias = z
  .string()
  .meta({ description: "A bidder's public name on this auction, stable for the auction.", example: 'Bidder 7' });

/**
 * A bidder's account id where the viewer may see it (docs/api.md, "Bidder privacy"): the auction's seller,
 * admins, and the bidder themself; null for everyone else, and always in event streams and the listing.
 */
const bidderId = (what: string) =>
  uuid.nullable().meta({
    description:
      `${what}'s account id, shown only to the auction's seller, to admins and to that bidder themself; ` +
      'null for anyone else (they see the alias).',
  });

export const auctionResult = z
  .object({
    outcome: z.enum(AUCTION_OUTCOMES),
    winnerId: bidderId('The winner'),
    winnerAlias: bidderAlias
      .nullable()
      .meta({ description: 'The winner (the last leader) by alias; null unless sold.' }),
    finalPrice: money.nullable(),
    orderId: uuid.nullable().meta({
      description:
        "The winner's order, made at the close of a sale; null when nothing sold, and on auctions that " +
        'closed before orders existed.',
    }),
  })
  .meta({ id: 'AuctionResult', description: 'How a closed auction ended; null until it has.' });

/** A buyer's premium, in basis points of the hammer price. */
const premiumBps = z.number().int().min(0).max(MAX_BUYERS_PREMIUM_BPS).meta({
  description:
    "The buyer's premium, in basis points of the hammer price (250 is 2.5 %), which the winner pays on top of it.",
  example: 1000,
});

/** The settlement terms every auction shows, so a bidder knows what winning costs and how long to pay. */
const settlementTerms = {
  paymentWindowSeconds: z
    .number()
    .int()
    .positive()
    .meta({ description: 'How long the winner has to pay, from the close.', example: 259_200 }),
  buyersPremiumBps: premiumBps,
  autoSecondChance: z.boolean().meta({
    description: 'An unpaid lot is offered to the next bidders in turn without waiting for the seller.',
  }),
};

export const auction = z
  .object({
    id: uuid,
    sellerId: uuid,
    title: z.string(),
    description: z.string(),
    currency: z.string().meta({ description: 'ISO 4217 code.', example: 'USD' }),
    category: z.enum(AUCTION_CATEGORIES).nullable(),
    startingPrice: money,
    currentPrice: money,
    minimumNextBid: money.meta({ description: 'The least the next bid may be.' }),
    leaderId: bidderId('The leader'),
    leaderAlias: bidderAlias.nullable().meta({ description: 'Who leads now, by alias; null when no one does.' }),
    bidCount: count,
    reserveMet: z
      .boolean()
      .meta({ description: 'Whether the hidden reserve is met (the reserve itself is never shown).' }),
    buyNowPrice: money.nullable().meta({ description: 'Offered until the first bid; null after it, or when none.' }),
    status: z.enum(AUCTION_STATUSES),
    result: auctionResult.nullable(),
    startsAt: instant,
    endsAt: instant.meta({ description: 'Moves later when a bid lands in the soft-close window.' }),
    createdAt: instant,
    seq: count.meta({ description: 'The seq of the last bid: where an event stream resumes.' }),
    ...settlementTerms,
  })
  .meta({ id: 'Auction' });

export const auctionPage = z
  .object({
    items: z.array(auction),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last.' }),
  })
  .meta({ id: 'AuctionPage' });

/** An auction as a listing item: the auction, and what kind of item it is. */
export const listedAuction = auction
  .extend({ kind: z.literal('auction') })
  .meta({ id: 'ListedAuction', description: 'An auction in the discovery listing.' });

/** A flash sale as a listing item: what a buyer needs to choose it (GET /v1/sales/{id} has the rest). */
export const listedSale = auction
  .pick({ id: true, sellerId: true, title: true, description: true, currency: true, category: true, createdAt: true })
  .extend({
    kind: z.literal('sale'),
    price: money.meta({ description: "One unit's price." }),
    stock: count.meta({ description: 'Units in all.' }),
    available: count.meta({
      description: 'Units anyone may claim now, as the listing last heard (within a second of a claim).',
    }),
    status: z.enum(SALE_STATUSES),
    startsAt: instant,
    endsAt: instant.nullable().meta({ description: 'Null: open until sold out or cancelled.' }),
  })
  .meta({ id: 'ListedSale', description: 'A flash sale in the discovery listing.' });

export const listingPage = z
  .object({
    items: z.array(z.discriminatedUnion('kind', [listedAuction, listedSale])),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last.' }),
  })
  .meta({ id: 'ListingPage' });

export const placedBid = z
  .object({
    seq: count,
    leading: z.boolean().meta({ description: 'You lead after this bid.' }),
    currentPrice: money,
    minimumNextBid: money,
    endsAt: instant,
    extended: z.boolean().meta({ description: 'This bid moved the end (soft close).' }),
    reserveMet: z.boolean(),
    status: z.enum(AUCTION_STATUSES),
    buyersPremiumBps: premiumBps,
    bidderAlias: bidderAlias.nullable().meta({
      description:
        'Your alias on this auction: events name the leader by alias, so `leaderAlias === bidderAlias` means you lead. ' +
        'Null only in a repeat of a bid placed before aliases existed.',
    }),
  })
  .meta({ id: 'PlacedBid' });

export const retraction = z
  .object({
    seq: count.meta({ description: "The retraction's place in the auction's history (events carry the same)." }),
    scope: z.enum(['all', 'last']).meta({
      description: "'all' of the bidder's bids (12 hours or more left, or an admin's void), or only the 'last'.",
    }),
    retractedAlias: z.string().meta({ example: 'Bidder 7' }),
    currentPrice: money,
    leaderAlias: z.string().nullable(),
    minimumNextBid: money,
    bidCount: count,
    reserveMet: z.boolean(),
    endsAt: instant,
    status: z.enum(AUCTION_STATUSES),
  })
  .meta({ id: 'Retraction', description: 'Bids taken back, and where the auction stands after.' });

/** The details a refused bid carries beside its code and message. */
export const bidRefusalDetails = {
  minimumNextBid: money,
  currentPrice: money,
  endsAt: instant,
  buyersPremiumBps: premiumBps,
};

export const bid = z
  .object({
    seq: count,
    bidderId: bidderId('The bidder'),
    bidderAlias: bidderAlias
      .nullable()
      .meta({ description: 'The bidder by alias (null only on rows that predate aliases).' }),
    amount: money,
    placedAt: instant,
    kind: z.enum(BID_KINDS),
    retracted: z.boolean().meta({
      description: 'Taken back since (by its bidder, or voided by an admin): it no longer counts nor makes the price.',
    }),
  })
  .meta({ id: 'Bid', description: 'A persisted bid; amount is the visible price it made (maxima stay private).' });

export const bidPage = z
  .object({
    items: z.array(bid),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last.' }),
  })
  .meta({ id: 'BidPage' });

/** One of your own bids (GET /v1/auctions/{id}/bids?bidder=me): with the maximum you bid, which only you see. */
export const ownBid = bid
  .extend({ maxAmount: money.meta({ description: 'Your maximum for this bid: shown to you alone.' }) })
  .meta({ id: 'OwnBid', description: 'A persisted bid of yours; amount is the visible price it made.' });

export const ownBidPage = z
  .object({
    items: z.array(ownBid),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last.' }),
  })
  .meta({ id: 'OwnBidPage' });

/** GET /v1/auctions/{id}/bidders: who bids on a seller's auction, for its seller (and admins) alone. */
export const auctionBidder = z
  .object({
    bidderAlias: bidderAlias
      .nullable()
      .meta({ description: 'As everyone else sees them (null only for bids older than aliases).' }),
    bidderId: uuid,
    displayName: z.string().meta({ example: 'Bea' }),
    bidCount: count.meta({
      description: 'Their bids on this auction that still count (retracted or voided ones do not).',
    }),
    retracted: z
      .boolean()
      .meta({ description: 'They retracted their bids on this auction (an admin’s void is not theirs).' }),
    recentRetractions: count.meta({
      description: 'Their own retractions on any auction in the last 6 months (admins’ voids not counted).',
    }),
  })
  .meta({ id: 'AuctionBidder' });

export const auctionBidderList = z
  .object({ items: z.array(auctionBidder).meta({ description: 'By alias: in the order of their first bids.' }) })
  .meta({ id: 'AuctionBidderList' });

/** The component id a schema is registered under in the document. */
const idOf = (schema: z.ZodType) => {
  const id = schema.meta()?.id;
  if (typeof id !== 'string') throw new Error('an SSE data schema needs a meta id');
  return id;
};

/** The `data` of an SSE event: a string of JSON, described by a component of the document. */
export const jsonData = (schema: z.ZodType) =>
  z
    .string()
    .meta({ contentMediaType: 'application/json', contentSchema: { $ref: `#/components/schemas/${idOf(schema)}` } });

const publicLeader = {
  leaderId: z.null().meta({ description: 'Always null here: events are public, so bidders appear by alias.' }),
  leaderAlias: bidderAlias.nullable().meta({ description: 'Who leads now; null when no one does.' }),
};

export const liveBidEvent = z
  .object({
    seq: count,
    currentPrice: money,
    ...publicLeader,
    minimumNextBid: money,
    bidCount: count,
    reserveMet: z.boolean(),
    endsAt: instant,
    placedAt: instant,
  })
  .meta({ id: 'BidEvent', description: 'A bid as it lands.' });

export const replayedBidEvent = z
  .object({
    seq: count,
    currentPrice: money,
    minimumNextBid: money,
    bidCount: count,
    placedAt: instant,
    replayed: z.literal(true),
  })
  .meta({ id: 'ReplayedBidEvent', description: 'A bid missed since Last-Event-ID, replayed before the snapshot.' });

export const extendedEvent = z.object({ seq: count, endsAt: instant }).meta({ id: 'ExtendedEvent' });

export const retractedEvent = z
  .object({
    seq: count,
    retractedAlias: bidderAlias.meta({ description: 'The bidder whose bids were taken back.' }),
    currentPrice: money,
    ...publicLeader,
    minimumNextBid: money,
    bidCount: count.meta({ description: 'Retracted bids no longer count.' }),
    reserveMet: z.boolean(),
    endsAt: instant,
    retractedAt: instant,
  })
  .meta({
    id: 'RetractedEvent',
    description: "A bidder's bids taken back (by them, or voided by an admin): the leader and price found again.",
  });

export const replayedRetractionEvent = z
  .object({
    seq: count,
    retractedAlias: bidderAlias,
    currentPrice: money,
    minimumNextBid: money,
    bidCount: count,
    retractedAt: instant,
    replayed: z.literal(true),
  })
  .meta({ id: 'ReplayedRetractionEvent', description: 'A retraction missed since Last-Event-ID, replayed.' });

export const doubledEvent = z
  .object({
    seq: count,
    doubledAlias: bidderAlias.meta({ description: 'The bidder whose maximum a promotion doubled.' }),
    currentPrice: money,
    ...publicLeader,
    minimumNextBid: money,
    bidCount: count.meta({ description: 'A doubling is not a bid: the count is unchanged.' }),
    reserveMet: z.boolean(),
    endsAt: instant,
    doubledAt: instant,
  })
  .meta({
    id: 'DoubledEvent',
    description: "A promotion doubled a bidder's maximum at the house's expense: the leader and price found again.",
  });

export const replayedDoublingEvent = z
  .object({
    seq: count,
    doubledAlias: bidderAlias,
    currentPrice: money,
    minimumNextBid: money,
    bidCount: count,
    doubledAt: instant,
    replayed: z.literal(true),
  })
  .meta({ id: 'ReplayedDoublingEvent', description: 'A doubling missed since Last-Event-ID, replayed.' });

/** One event of GET /v1/auctions/{id}/events, as a parsed SSE event (`event`, `id`, `data`). */
export const auctionEvent = z
  .union([
    z.object({ event: z.literal('snapshot'), id: z.string(), data: jsonData(auction) }),
    z.object({ event: z.literal('bid'), id: z.string(), data: jsonData(liveBidEvent) }),
    z.object({ event: z.literal('bid'), id: z.string(), data: jsonData(replayedBidEvent) }),
    z.object({ event: z.literal('retracted'), id: z.string(), data: jsonData(retractedEvent) }),
    z.object({ event: z.literal('retracted'), id: z.string(), data: jsonData(replayedRetractionEvent) }),
    z.object({ event: z.literal('doubled'), id: z.string(), data: jsonData(doubledEvent) }),
    z.object({ event: z.literal('doubled'), id: z.string(), data: jsonData(replayedDoublingEvent) }),
    z.object({ event: z.literal('extended'), id: z.string().optional(), data: jsonData(extendedEvent) }),
    z.object({ event: z.literal('closed'), id: z.string(), data: jsonData(auctionResult) }),
    z.object({ event: z.literal('cancelled'), id: z.string().optional(), data: z.literal('{}') }),
  ])
  .meta({
    id: 'AuctionEvent',
    description:
      'On connect: the bids, retractions and doublings missed since Last-Event-ID (events `bid`, `retracted` ' +
      'and `doubled`, `replayed: true`), then a `snapshot` of the auction; then live `bid`, `retracted`, ' +
      '`doubled`, `extended`, `closed` ' +
      'and `cancelled` events. `id` is the seq: send it back as Last-Event-ID to resume. Comment lines ' +
      '(`: ping`) keep the connection alive. Bidders appear by alias, never by account id.',
  });

/**
 * The event data schemas no response uses directly (Auction and AuctionResult are), so the document
 * registers them itself; test/openapi.test.ts checks that every $ref resolves.
 */
export const eventDataSchemas = Object.fromEntries(
  [
    liveBidEvent,
    replayedBidEvent,
    retractedEvent,
    replayedRetractionEvent,
    doubledEvent,
    replayedDoublingEvent,
    extendedEvent,
  ].map((schema) => [idOf(schema), schema]),
);

export type PublicAuction = z.infer<typeof auction>;
export type PublicAuctionResult = z.infer<typeof auctionResult>;
export type PlacedBid = z.infer<typeof placedBid>;
export type Retraction = z.infer<typeof retraction>;
export type AuctionBidder = z.infer<typeof auctionBidder>;
export type AuctionBidderList = z.infer<typeof auctionBidderList>;
export type BidPage = z.infer<typeof bidPage>;
export type OwnBidPage = z.infer<typeof ownBidPage>;
export type AuctionPage = z.infer<typeof auctionPage>;
export type ListedAuction = z.infer<typeof listedAuction>;
export type ListedSale = z.infer<typeof listedSale>;
export type ListingPage = z.infer<typeof listingPage>;
export type LiveBidEvent = z.infer<typeof liveBidEvent>;
export type ReplayedBidEvent = z.infer<typeof replayedBidEvent>;
export type ExtendedEvent = z.infer<typeof extendedEvent>;
export type RetractedEvent = z.infer<typeof retractedEvent>;
export type ReplayedRetractionEvent = z.infer<typeof replayedRetractionEvent>;
export type DoubledEvent = z.infer<typeof doubledEvent>;
export type ReplayedDoublingEvent = z.infer<typeof replayedDoublingEvent>;
