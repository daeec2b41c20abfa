/**
 * The one way into an auction's bidding state in Redis. Every decision is made by a Lua script (this
 * folder), atomically and on Redis time; this module only names the keys, passes the arguments and
 * reads the replies. Business rules are the scripts' to apply. What this module refuses (TypeError) is
 * input that could name another key or that a script could not represent exactly: the API validates
 * all of it before, so a refusal here is a bug in the caller.
 */
import { readFileSync } from 'node:fs';
import type { RedisClient } from '../config/redis.js';
import { publishCommand, type PublishCommand } from '../config/redis-pubsub.js';
import type { AuctionRules, BiddingState } from '../domain/bidding.js';
import { INCREMENT_TABLE } from '../domain/increments.js';
import { isValidAmount, MAX_AMOUNT } from '../domain/money.js';
import {
  parseAuctionHash,
  parseCloseReply,
  parseDoubleReply,
  parseLeaderAlias,
  parsePlaceBidReply,
  parseRetractReply,
  parseStreamEntry,
  type CloseResult,
  type DoubledMaximum,
  type PlaceBidResult,
  type RetractResult,
  type StreamEntry,
} from './bidding-replies.js';
import type { RetractionMode } from '../domain/retraction.js';
import { parseBidderBook, parseBidderEntry } from './bidder-book.js';
import type { BidderBook } from '../domain/bidder-book.js';

export type {
  CloseResult,
  PlaceBidResult,
  RetractResult,
  StreamBid,
  StreamEntry,
  StreamRetraction,
  StreamDoubling,
  DoubledMaximum,
} from './bidding-replies.js';

/** An Idempotency-Key answers the same for a day (the usual promise of payment APIs). */
export const IDEMPOTENCY_TTL_MS = 86_400_000;
/** docs/architecture.md, "The life of a bid", step 4: one workflow signal per persist cycle at most. */
export const WAKE_TTL_MS = 2_000;

const AUCTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{1,128}$/;
/** User ids (uuids) and the tests' short names: a bidder id is part of an idempotency key's name. */
const BIDDER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Every per-auction key carries the hash tag {auctionId}, so one auction's keys (and its channel) share
 * a Cluster slot: a script may touch all of them, and a sharded publish stays on the auction's shard.
 */
export const auctionKeys = (auctionId: string) => {
  const base = `auction:{${auctionId}}`;
  return {
    state: base,
    bids: `${base}:bids`,
    wake: `${base}:wake`,
    /** The bidder book: every bidder's alias and maximum (domain/bidder-book.ts). */
    bidders: `${base}:bidders`,
    idempotency: (bidderId: string, key: string) => `${base}:idem:${bidderId}:${key}`,
    /** The promoter's firings on this auction and what each did (double-maximum.lua), for repeats. */
    firings: `${base}:firings`,
    /** A pub/sub channel, not a key. */
    events: `${base}:events`,
  };
};

/** The live bidding state, and the leader's alias beside it (null: no leader, or one from before aliases). */
export interface LiveBidding {
  state: BiddingState;
  leaderAlias: number | null;
}

/** What cancel-auction.lua answers ('has_bids' only when asked to cancel only an auction without bids). */
export type CancelOutcome = 'cancelled' | 'already_closed' | 'already_cancelled' | 'missing' | 'has_bids';

export interface PlaceBidInput {
  bidderId: string;
  amount: number;
  buyNow: boolean;
  idempotencyKey: string | null;
  /** The W3C traceparent of the request, kept on the accepted bid's stream entry; absent when untraced. */
  traceparent?: string;
}

export interface RetractInput {
  bidderId: string;
  mode: RetractionMode;
  reason: string;
  /** Who asked: the bidder, or the admin voiding their bids. */
  actorId: string;
  requestId: string;
}

/** What an auction's hash keeps beside its bidding rules only to pass it back with every bid's answer. */
export interface AnsweredTerms {
  buyersPremiumBps: number;
}

/** The increment table travels with every bid, so the script has no copy of its own (domain/increments.ts). */
const INCREMENT_ARGS = INCREMENT_TABLE.flatMap(({ below, step }) => [
  below === null ? '' : String(below),
  String(step),
]);

const readLua = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');

/** A script's source, with the shared Lua it names in `-- #include <file>` lines put in their place. */
const loadScript = (name: string) =>
  readLua(`${name}.lua`).replace(/^-- #include ([a-z-]+\.lua)$/gm, (_line, file: string) => readLua(file));

/** The commands defineCommand adds (ioredis types them only through global declaration merging). */
interface BiddingScripts {
  gavelInitAuction(key: string, ...fieldsAndValues: string[]): Promise<number>;
  gavelPlaceBid(numberOfKeys: number, ...keysAndArgs: string[]): Promise<string[]>;
  gavelRetractBid(...keysAndArgs: string[]): Promise<string[]>;
  gavelDoubleMaximum(...keysAndArgs: string[]): Promise<string[]>;
  gavelCloseBidding(key: string): Promise<string[]>;
  gavelCancelAuction(
    key: string,
    eventsChannel: string,
    publish: PublishCommand,
    onlyWithoutBids: '1' | '0',
  ): Promise<CancelOutcome>;
}

function keysOf(auctionId: string) {
  if (!AUCTION_ID.test(auctionId)) throw new TypeError(`not an auction id: ${JSON.stringify(auctionId)}`);
  return auctionKeys(auctionId);
}

function integerArg(name: string, n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new TypeError(`${name} must be a non-negative safe integer, got ${n}`);
  return String(n);
}

const optionalAmountArg = (name: string, n: number | null) => (n === null ? '' : integerArg(name, n));

export class BiddingStore {
  private readonly scripts: BiddingScripts;
  private readonly publish: PublishCommand;

  constructor(private readonly redis: RedisClient) {
    this.publish = publishCommand(redis);
    // EVALSHA, with ioredis falling back to EVAL when the server does not have the script yet.
    redis.defineCommand('gavelInitAuction', { numberOfKeys: 1, lua: loadScript('init-auction') });
    // No fixed key count: the idempotency key is passed only when there is one.
    redis.defineCommand('gavelPlaceBid', { lua: loadScript('place-bid') });
    redis.defineCommand('gavelRetractBid', { numberOfKeys: 4, lua: loadScript('retract-bid') });
    redis.defineCommand('gavelDoubleMaximum', { numberOfKeys: 5, lua: loadScript('double-maximum') });
    redis.defineCommand('gavelCloseBidding', { numberOfKeys: 1, lua: loadScript('close-bidding') });
    redis.defineCommand('gavelCancelAuction', { numberOfKeys: 1, lua: loadScript('cancel-auction') });
    this.scripts = redis as unknown as BiddingScripts;
  }

  /** Creates the bidding state once; a repeat leaves what exists (bids included) untouched. */
  async initAuction(
    auctionId: string,
    rules: AuctionRules,
    startsAtMs: number,
    endsAtMs: number,
    terms: AnsweredTerms,
  ): Promise<void> {
    const keys = keysOf(auctionId);
    if (rules.sellerId === '') throw new TypeError('sellerId must not be empty');
    await this.scripts.gavelInitAuction(
      keys.state,
      ...['status', 'scheduled'],
      ...['startsAtMs', integerArg('startsAtMs', startsAtMs)],
      ...['endsAtMs', integerArg('endsAtMs', endsAtMs)],
      ...['price', integerArg('startingPrice', rules.startingPrice)],
      ...['leaderId', '', 'leaderMax', '', 'seq', '0', 'bidCount', '0'],
      ...['sellerId', rules.sellerId],
      ...['startingPrice', integerArg('startingPrice', rules.startingPrice)],
      ...['reservePrice', optionalAmountArg('reservePrice', rules.reservePrice)],
      ...['buyNowPrice', optionalAmountArg('buyNowPrice', rules.buyNowPrice)],
      ...['softCloseWindowMs', integerArg('softCloseWindowMs', rules.softCloseWindowMs)],
      ...['softCloseExtendMs', integerArg('softCloseExtendMs', rules.softCloseExtendMs)],
      ...['buyersPremiumBps', integerArg('buyersPremiumBps', terms.buyersPremiumBps)],
      ...['aliasCount', '0', 'leaderAlias', ''],
    );
  }

  /** Decides one bid; null when the auction is unknown. */
  async placeBid(auctionId: string, input: PlaceBidInput): Promise<PlaceBidResult | null> {
    const keys = keysOf(auctionId);
    if (!BIDDER_ID.test(input.bidderId)) throw new TypeError(`not a bidder id: ${JSON.stringify(input.bidderId)}`);
    // Beyond MAX_AMOUNT the script's double arithmetic would no longer be exact.
    if (!isValidAmount(input.amount)) throw new TypeError(`not a valid amount: ${input.amount}`);
    const { idempotencyKey } = input;
    if (idempotencyKey !== null && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new TypeError('an Idempotency-Key must be 1-128 characters of A-Z a-z 0-9 _ -');
    }
    const scriptKeys = [keys.state, keys.bids, keys.wake, keys.bidders];
    if (idempotencyKey !== null) scriptKeys.push(keys.idempotency(input.bidderId, idempotencyKey));
    const reply = await this.scripts.gavelPlaceBid(
      scriptKeys.length,
      ...scriptKeys,
      input.bidderId,
      String(input.amount),
      input.buyNow ? '1' : '0',
      String(IDEMPOTENCY_TTL_MS),
      String(WAKE_TTL_MS),
      keys.events,
      this.publish,
      input.traceparent ?? '',
      ...INCREMENT_ARGS,
    );
    return parsePlaceBidReply(reply);
  }

  /**
   * Takes a bidder's bids back under the retraction rules ('retract') or all of them ('void'); null when
   * the auction is unknown. `reason`, `actorId` and `requestId` only travel to the stream for the record.
   */
  async retractBid(auctionId: string, input: RetractInput): Promise<RetractResult | null> {
    const keys = keysOf(auctionId);
    if (!BIDDER_ID.test(input.bidderId)) throw new TypeError(`not a bidder id: ${JSON.stringify(input.bidderId)}`);
    const reply = await this.scripts.gavelRetractBid(
      keys.state,
      keys.bids,
      keys.wake,
      keys.bidders,
      input.bidderId,
      input.mode,
      input.reason,
      input.actorId,
      input.requestId,
      String(WAKE_TTL_MS),
      keys.events,
      this.publish,
      ...INCREMENT_ARGS,
    );
    return parseRetractReply(reply);
  }

  /**
   * The promoter's doubling of one bidder's live maximum (domain/promotions/doubling.ts), if it is still
   * `expectedMax`; null when the auction is unknown. A repeat of `firingId` answers the same and changes nothing.
   */
  async doubleMaximum(
    auctionId: string,
    input: { bidderId: string; expectedMax: number; promotionId: string; firingId: string },
  ): Promise<DoubledMaximum | null> {
    const keys = keysOf(auctionId);
    if (!BIDDER_ID.test(input.bidderId)) throw new TypeError(`not a bidder id: ${JSON.stringify(input.bidderId)}`);
    const reply = await this.scripts.gavelDoubleMaximum(
      keys.state,
      keys.bids,
      keys.wake,
      keys.bidders,
      keys.firings,
      input.bidderId,
      integerArg('expectedMax', input.expectedMax),
      input.promotionId,
      input.firingId,
      String(WAKE_TTL_MS),
      keys.events,
      this.publish,
      String(MAX_AMOUNT),
      ...INCREMENT_ARGS,
    );
    return parseDoubleReply(reply);
  }

  /** Every bidder's standing on the auction (empty when no one has bid, or the auction is unknown). */
  async readBook(auctionId: string): Promise<BidderBook> {
    const keys = keysOf(auctionId);
    const [aliasCount, entries] = await Promise.all([
      this.redis.hget(keys.state, 'aliasCount'),
      this.redis.hgetall(keys.bidders),
    ]);
    return parseBidderBook(Number(aliasCount ?? 0), entries);
  }

  /** Closes bidding only if Redis time has reached the end; otherwise answers the real end. */
  async closeBidding(auctionId: string): Promise<CloseResult> {
    return parseCloseReply(await this.scripts.gavelCloseBidding(keysOf(auctionId).state));
  }

  /**
   * Stops bidding for good, unless the auction has already ended (then 'already_closed'), or, with
   * `onlyWithoutBids`, someone has bid on it (then 'has_bids').
   */
  async cancelAuction(auctionId: string, { onlyWithoutBids = false } = {}): Promise<CancelOutcome> {
    const keys = keysOf(auctionId);
    return this.scripts.gavelCancelAuction(keys.state, keys.events, this.publish, onlyWithoutBids ? '1' : '0');
  }

  async readState(auctionId: string): Promise<{ state: BiddingState; rules: AuctionRules } | null> {
    return parseAuctionHash(await this.redis.hgetall(keysOf(auctionId).state));
  }

  /** The bidding state with the leader's alias, in one read: what an auction's answers show. */
  async readLive(auctionId: string): Promise<LiveBidding | null> {
    const hash = await this.redis.hgetall(keysOf(auctionId).state);
    const parsed = parseAuctionHash(hash);
    return parsed && { state: parsed.state, leaderAlias: parseLeaderAlias(hash) };
  }

  /** A bidder's alias on the auction, from the bidder book; null when they have no entry in it. */
  async aliasOf(auctionId: string, bidderId: string): Promise<number | null> {
    const entry = await this.redis.hget(keysOf(auctionId).bidders, bidderId);
    return entry === null ? null : parseBidderEntry(bidderId, entry).alias;
  }

  /** Stream entries (bids and retractions) with seq > afterSeq, ascending, at most `count`. */
  async readBids(auctionId: string, afterSeq: number, count: number): Promise<StreamEntry[]> {
    const from = integerArg('afterSeq', afterSeq + 1);
    const entries = await this.redis.xrange(keysOf(auctionId).bids, from, '+', 'COUNT', integerArg('count', count));
    return entries.map(parseStreamEntry);
  }

  /** Drops the stream entries with seq ≤ throughSeq (those persisted elsewhere). */
  async trimBids(auctionId: string, throughSeq: number): Promise<void> {
    await this.redis.xtrim(keysOf(auctionId).bids, 'MINID', integerArg('throughSeq', throughSeq + 1));
  }

  /** Lets the next accepted bid set the wake flag again (and so signal the workflow). */
  async clearWake(auctionId: string): Promise<void> {
    await this.redis.del(keysOf(auctionId).wake);
  }

  /**
   * Removes an auction's state, bids and wake flag: undoes an initAuction whose auction could not be
   * created. (Idempotency replies are left to expire; they are found only through this auction's id.)
   */
  async discardAuction(auctionId: string): Promise<void> {
    const keys = keysOf(auctionId);
    await this.redis.del(keys.state, keys.bids, keys.wake, keys.bidders, keys.firings);
  }
}
