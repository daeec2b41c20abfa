/**
 * The one way into a flash sale's state in Redis. Every decision is a Lua script (claim-sale.lua,
 * settle-holds.lua, join-waitlist.lua, ...), atomic and on Redis time; this module names the keys,
 * passes the arguments and reads the replies. Like bidding-store.ts it refuses (TypeError) input that
 * could name another key or that a script could not represent exactly: the API validates all of it first.
 */
import { readFileSync } from 'node:fs';
import type { RedisClient } from '../config/redis.js';
import { publishCommand, type PublishCommand } from '../config/redis-pubsub.js';
import type { SaleCounts, SalePhase } from '../domain/sales/sale.js';

/** An Idempotency-Key answers the same for a day, as for bids. */
export const CLAIM_IDEMPOTENCY_TTL_MS = 86_400_000;
/** At most one workflow signal per this long, however many claims (as for bids). */
export const SALE_WAKE_TTL_MS = 2_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{1,128}$/;
/** User ids (uuids) and the tests' short names. */
const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** A proof-of-work solution's mark: a hex digest. */
const SOLUTION_MARK = /^[0-9a-f]{16,128}$/;

/** Every key carries the hash tag {saleId}: one slot per sale, so each script may touch all of them. */
export const saleKeys = (saleId: string) => {
  const base = `sale:{${saleId}}`;
  return {
    state: base,
    units: `${base}:units`,
    holds: `${base}:holds`,
    hold: `${base}:hold`,
    log: `${base}:log`,
    wake: `${base}:wake`,
    waitlist: `${base}:waitlist`,
    waiting: `${base}:waiting`,
    idempotency: (userId: string, key: string) => `${base}:idem:${userId}:${key}`,
    solution: (mark: string) => `${base}:pow:${mark}`,
    /** Never written: stands for an absent optional key, since a cluster refuses a key outside the sale's slot. */
    none: `${base}:none`,
    /** A pub/sub channel, not a key. */
    events: `${base}:events`,
  };
};

export interface SaleTerms {
  sellerId: string;
  stock: number;
  perUserLimit: number;
  holdMs: number;
  startsAtMs: number;
  endsAtMs: number | null;
}

export interface ClaimInput {
  userId: string;
  quantity: number;
  /** The order the hold becomes: a uuid made by the caller. */
  orderId: string;
  idempotencyKey: string | null;
  /** A verified proof-of-work solution's mark and how long to remember it; null when none is asked. */
  solution: { mark: string; ttlMs: number } | null;
}

export type ClaimResult =
  | {
      outcome: 'held';
      orderId: string;
      quantity: number;
      holdExpiresAtMs: number;
      seq: number;
      /** The sale's version after this hold: orders count notes (0 in a reply stored before it was given). */
      version: number;
      wake: boolean;
      counts: SaleCounts;
      replayed: boolean;
    }
  | {
      outcome: 'refused';
      code: 'SALE_NOT_OPEN' | 'SELLER_CANNOT_BUY' | 'LIMIT_REACHED' | 'SOLD_OUT' | 'CHALLENGE_USED';
      counts: SaleCounts;
      waitlistOpen: boolean;
      replayed: boolean;
    }
  | { outcome: 'missing' };

/** A hold made for a buyer on the waitlist when units came back. */
export interface WaitlistHold {
  orderId: string;
  userId: string;
  quantity: number;
  expiresAtMs: number;
}

export interface SettleResult {
  /** Holds that became sales. */
  sold: number;
  /** Holds released (to the waitlist or to available). */
  released: number;
  newHolds: WaitlistHold[];
  /** Some released holds were left for another call (it ran short of fresh ids). */
  more: boolean;
  counts: SaleCounts | null;
  earliestHoldExpiryMs: number | null;
  seq: number;
}

/** An entry of the claim log: a hold made (by a claim, or for the waitlist), which Postgres must get as an order. */
export interface LoggedHold extends WaitlistHold {
  seq: number;
  fromWaitlist: boolean;
  heldAtMs: number;
}

export type WaitlistJoin =
  | { outcome: 'waiting'; position: number }
  | {
      outcome: 'refused';
      code: 'SALE_NOT_OPEN' | 'SELLER_CANNOT_BUY' | 'LIMIT_REACHED' | 'UNITS_AVAILABLE' | 'SOLD_OUT';
      available: number;
      held: number;
    }
  | { outcome: 'missing' };

export type PhaseMove = {
  /** sold_out: a cancel refused, every unit sold (nothing available or held). */
  outcome: 'moved' | 'already' | 'not_yet' | 'final' | 'sold_out';
  phase: SalePhase;
  endsAtMs: number | null;
};

export interface SaleSnapshot {
  phase: SalePhase;
  counts: SaleCounts;
  version: number;
  seq: number;
  startsAtMs: number;
  endsAtMs: number | null;
}

const loadScript = (name: string) => readFileSync(new URL(`./${name}.lua`, import.meta.url), 'utf8');

interface SaleScripts {
  gavelInitSale(key: string, ...fieldsAndValues: string[]): Promise<number>;
  gavelClaimSale(...keysAndArgs: string[]): Promise<string[]>;
  gavelSettleHolds(...keysAndArgs: string[]): Promise<string[]>;
  gavelDueHolds(holdsKey: string, limit: string): Promise<string[]>;
  gavelEndSale(...keysAndArgs: string[]): Promise<string[]>;
  gavelJoinWaitlist(...keysAndArgs: string[]): Promise<string[]>;
  gavelLeaveWaitlist(...keysAndArgs: string[]): Promise<number>;
}

function keysOf(saleId: string) {
  if (!UUID.test(saleId)) throw new TypeError(`not a sale id: ${JSON.stringify(saleId)}`);
  return saleKeys(saleId);
}

function intArg(name: string, n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new TypeError(`${name} must be a non-negative safe integer, got ${n}`);
  return String(n);
}

function userArg(userId: string): string {
  if (!USER_ID.test(userId)) throw new TypeError(`not a user id: ${JSON.stringify(userId)}`);
  return userId;
}

function orderIdArgs(ids: readonly string[]): string[] {
  for (const id of ids) if (!UUID.test(id)) throw new TypeError(`not an order id: ${JSON.stringify(id)}`);
  return [...ids];
}

const countsOf = (available: string, held: string, sold: string): SaleCounts => ({
  available: Number(available),
  held: Number(held),
  sold: Number(sold),
});

const optionalMs = (value: string | undefined) => (value === undefined || value === '' ? null : Number(value));

export class SaleStore {
  private readonly scripts: SaleScripts;
  private readonly publish: PublishCommand;

  constructor(private readonly redis: RedisClient) {
    this.publish = publishCommand(redis);
    redis.defineCommand('gavelInitSale', { numberOfKeys: 1, lua: loadScript('init-sale') });
    redis.defineCommand('gavelClaimSale', { numberOfKeys: 8, lua: loadScript('claim-sale') });
    redis.defineCommand('gavelSettleHolds', { numberOfKeys: 7, lua: loadScript('settle-holds') });
    redis.defineCommand('gavelDueHolds', { numberOfKeys: 1, lua: loadScript('due-holds') });
    redis.defineCommand('gavelEndSale', { numberOfKeys: 3, lua: loadScript('end-sale') });
    redis.defineCommand('gavelJoinWaitlist', { numberOfKeys: 4, lua: loadScript('join-waitlist') });
    redis.defineCommand('gavelLeaveWaitlist', { numberOfKeys: 2, lua: loadScript('leave-waitlist') });
    this.scripts = redis as unknown as SaleScripts;
  }

  /** Creates the sale's state once; a repeat leaves what exists untouched. */
  async initSale(saleId: string, terms: SaleTerms): Promise<void> {
    const keys = keysOf(saleId);
    await this.scripts.gavelInitSale(
      keys.state,
      ...['phase', 'scheduled'],
      ...['sellerId', userArg(terms.sellerId)],
      ...['stock', intArg('stock', terms.stock)],
      ...['available', intArg('stock', terms.stock), 'held', '0', 'sold', '0'],
      ...['perUserLimit', intArg('perUserLimit', terms.perUserLimit)],
      ...['holdMs', intArg('holdMs', terms.holdMs)],
      ...['startsAtMs', intArg('startsAtMs', terms.startsAtMs)],
      ...['endsAtMs', terms.endsAtMs === null ? '' : intArg('endsAtMs', terms.endsAtMs)],
      ...['version', '0', 'seq', '0'],
    );
  }

  /** Decides one claim. */
  async claim(saleId: string, input: ClaimInput): Promise<ClaimResult> {
    const keys = keysOf(saleId);
    userArg(input.userId);
    orderIdArgs([input.orderId]);
    if (!Number.isSafeInteger(input.quantity) || input.quantity < 1) {
      throw new TypeError(`not a quantity: ${input.quantity}`);
    }
    const { idempotencyKey, solution } = input;
    if (idempotencyKey !== null && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new TypeError('an Idempotency-Key must be 1-128 characters of A-Z a-z 0-9 _ -');
    }
    if (solution !== null && !SOLUTION_MARK.test(solution.mark)) throw new TypeError('not a solution mark');
    const r = await this.scripts.gavelClaimSale(
      ...[keys.state, keys.units, keys.holds, keys.hold, keys.log, keys.wake],
      idempotencyKey === null ? keys.none : keys.idempotency(input.userId, idempotencyKey),
      solution === null ? keys.none : keys.solution(solution.mark),
      input.userId,
      String(input.quantity),
      input.orderId,
      String(CLAIM_IDEMPOTENCY_TTL_MS),
      String(SALE_WAKE_TTL_MS),
      keys.events,
      this.publish,
      solution === null ? '0' : intArg('ttlMs', Math.max(1, solution.ttlMs)),
    );
    const [
      outcome,
      code,
      orderId,
      quantity,
      expiresAt,
      seq,
      wake,
      available,
      held,
      sold,
      waitlistOpen,
      replayed,
      version,
    ] = r;
    if (outcome === 'missing') return { outcome: 'missing' };
    const counts = countsOf(available!, held!, sold!);
    if (outcome === 'held') {
      return {
        outcome: 'held',
        orderId: orderId!,
        quantity: Number(quantity),
        holdExpiresAtMs: Number(expiresAt),
        seq: Number(seq),
        version: Number(version ?? 0),
        wake: wake === '1',
        counts,
        replayed: replayed === '1',
      };
    }
    return {
      outcome: 'refused',
      code: code as Extract<ClaimResult, { outcome: 'refused' }>['code'],
      counts,
      waitlistOpen: waitlistOpen === '1',
      replayed: replayed === '1',
    };
  }

  /** Ids of holds due by Redis's clock, oldest first. */
  async dueHolds(saleId: string, limit: number): Promise<string[]> {
    return this.scripts.gavelDueHolds(keysOf(saleId).holds, intArg('limit', limit));
  }

  /** All open holds' ids (a cancel ends them all). */
  async openHolds(saleId: string): Promise<string[]> {
    return this.redis.zrange(keysOf(saleId).holds, 0, -1);
  }

  /**
   * Ends holds whose orders Postgres has settled: `paid` become sold, `released` go to the waitlist or
   * back to available. `freshIds` are the ids the waitlist's new holds take (at least the released
   * units' worth, or some releases wait: `more`).
   */
  async settleHolds(
    saleId: string,
    paid: readonly string[],
    released: readonly string[],
    freshIds: readonly string[],
  ): Promise<SettleResult> {
    const keys = keysOf(saleId);
    const r = await this.scripts.gavelSettleHolds(
      ...[keys.state, keys.units, keys.holds, keys.hold, keys.log, keys.waitlist, keys.waiting],
      keys.events,
      this.publish,
      String(paid.length),
      ...orderIdArgs(paid),
      String(released.length),
      ...orderIdArgs(released),
      ...orderIdArgs(freshIds),
    );
    const [sold, releasedCount, served, more, available, held, soldUnits, earliest, seq] = r;
    const newHolds: WaitlistHold[] = [];
    for (let i = 10; i + 3 < r.length; i += 4) {
      newHolds.push({ orderId: r[i]!, userId: r[i + 1]!, quantity: Number(r[i + 2]), expiresAtMs: Number(r[i + 3]) });
    }
    if (newHolds.length !== Number(served)) throw new Error('settle-holds.lua answered a malformed reply');
    return {
      sold: Number(sold),
      released: Number(releasedCount),
      newHolds,
      more: more === '1',
      counts: available === '' ? null : countsOf(available!, held!, soldUnits!),
      earliestHoldExpiryMs: optionalMs(earliest),
      seq: Number(seq || 0),
    };
  }

  /** Moves the phase: open at the start, closed at the end (Redis's clock decides), cancelled. */
  async moveTo(saleId: string, phase: 'open' | 'closed' | 'cancelled'): Promise<PhaseMove | null> {
    const keys = keysOf(saleId);
    const [outcome, now, endsAtMs] = await this.scripts.gavelEndSale(
      keys.state,
      keys.waitlist,
      keys.waiting,
      phase,
      keys.events,
      this.publish,
    );
    if (outcome === 'missing') return null;
    return { outcome: outcome as PhaseMove['outcome'], phase: now as SalePhase, endsAtMs: optionalMs(endsAtMs) };
  }

  async joinWaitlist(saleId: string, userId: string, quantity: number): Promise<WaitlistJoin> {
    const keys = keysOf(saleId);
    const [outcome, code, position, available, held] = await this.scripts.gavelJoinWaitlist(
      ...[keys.state, keys.units, keys.waitlist, keys.waiting],
      userArg(userId),
      intArg('quantity', quantity),
    );
    if (outcome === 'missing') return { outcome: 'missing' };
    if (outcome === 'waiting') return { outcome: 'waiting', position: Number(position) };
    return {
      outcome: 'refused',
      code: code as Extract<WaitlistJoin, { outcome: 'refused' }>['code'],
      available: Number(available),
      held: Number(held),
    };
  }

  /** true when the user was on the waitlist. */
  async leaveWaitlist(saleId: string, userId: string): Promise<boolean> {
    const keys = keysOf(saleId);
    return (await this.scripts.gavelLeaveWaitlist(keys.waitlist, keys.waiting, userArg(userId))) === 1;
  }

  async snapshot(saleId: string): Promise<SaleSnapshot | null> {
    const f = await this.redis.hmget(
      keysOf(saleId).state,
      'phase',
      'available',
      'held',
      'sold',
      'version',
      'seq',
      'startsAtMs',
      'endsAtMs',
    );
    if (f[0] === null) return null;
    return {
      phase: f[0] as SalePhase,
      counts: countsOf(f[1]!, f[2]!, f[3]!),
      version: Number(f[4]),
      seq: Number(f[5]),
      startsAtMs: Number(f[6]),
      endsAtMs: optionalMs(f[7] ?? ''),
    };
  }

  /**
   * Lets a finished sale's keys expire in `ttlMs` (each claim's idempotency and solution marks expire on
   * their own). Readers fall back to the sale's Postgres row; a claim then finds it missing.
   */
  async retire(saleId: string, ttlMs: number): Promise<void> {
    const k = keysOf(saleId);
    const keys = [k.state, k.units, k.holds, k.hold, k.log, k.wake, k.waitlist, k.waiting];
    const ttl = intArg('ttlMs', ttlMs);
    // One slot (the hash tag), so one transaction, on a Cluster too.
    await this.redis.multi(keys.map((key) => ['pexpire', key, ttl])).exec();
  }

  /** The earliest open hold's expiry, or null when none is open. */
  async earliestHoldExpiry(saleId: string): Promise<number | null> {
    const first = await this.redis.zrange(keysOf(saleId).holds, 0, 0, 'WITHSCORES');
    return first[1] === undefined ? null : Number(first[1]);
  }

  /** Log entries with seq > afterSeq, ascending, at most `count`. */
  async readLog(saleId: string, afterSeq: number, count: number): Promise<LoggedHold[]> {
    const entries = await this.redis.xrange(
      keysOf(saleId).log,
      intArg('afterSeq', afterSeq + 1),
      '+',
      'COUNT',
      intArg('count', count),
    );
    return entries.map(([id, fields]) => {
      const f: Record<string, string> = {};
      for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
      return {
        seq: Number(id.split('-')[0]),
        orderId: f.o!,
        userId: f.u!,
        quantity: Number(f.q),
        expiresAtMs: Number(f.x),
        fromWaitlist: f.w === '1',
        heldAtMs: Number(f.at),
      };
    });
  }

  /** Drops log entries with seq ≤ throughSeq (persisted). */
  async trimLog(saleId: string, throughSeq: number): Promise<void> {
    await this.redis.xtrim(keysOf(saleId).log, 'MINID', intArg('throughSeq', throughSeq + 1));
  }

  /** Lets the next claim set the wake flag again. */
  async clearWake(saleId: string): Promise<void> {
    await this.redis.del(keysOf(saleId).wake);
  }

  /** Removes a sale's state: undoes an initSale whose sale could not be created. */
  async discardSale(saleId: string): Promise<void> {
    const keys = keysOf(saleId);
    await this.redis.del(
      keys.state,
      keys.units,
      keys.holds,
      keys.hold,
      keys.log,
      keys.wake,
      keys.waitlist,
      keys.waiting,
    );
  }
}
