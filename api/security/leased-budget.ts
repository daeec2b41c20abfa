/**
 * A shared Redis budget that a process draws on in leases of several points instead of one call per
 * request: the budgets on the bid path, where two limiter calls per bid cost more than the bid's own
 * script (docs/decisions.md, "Leased rate limits").
 *
 * A lease is one `consume(key, size)` on rate-limiter-flexible's Redis limiter: an atomic INCRBY of the
 * key's fixed window. The points of a lease that fit under the budget are this process's to spend
 * until the window ends; a lease that overshoots still tells, from the count it returns, how many of
 * its points fitted. So, while Redis answers, across any number of processes:
 * - never more than the budget is spent in a window (every spent point was counted in Redis first, and
 *   a lease ends locally no later than its window does in Redis);
 * - points leased by one process and not yet spent can make another refuse early: at most
 *   (lease size − 1) per other process that served the key in that window;
 * - within one process the budget is exact: a lease is only asked for when the last is spent.
 *
 * While Redis cannot answer, rate-limiter-flexible draws the lease from its in-memory insurance
 * limiter instead, with the same arithmetic: each process then counts alone (P processes allow up to
 * P budgets), and a window in which a process switches between the two may allow it up to two.
 */
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** How a lease is sized: a fraction of the budget, so few points can sit unspent in another process. */
const LEASE_FRACTION = 1 / 8;
/** Beyond this a lease saves nothing measurable (one call per 100 requests) and strands more points. */
const MAX_LEASE = 100;

/** Windows that ended are dropped after this many draws: a sweep costs one pass over the live keys. */
const SWEEP_EVERY_DRAWS = 1000;

export const leaseSizeFor = (points: number) => Math.min(MAX_LEASE, Math.max(1, Math.ceil(points * LEASE_FRACTION)));

export type Draw = { allowed: true } | { allowed: false; retryAfterMs: number };

interface Lease {
  /** Points of this window still to spend here. */
  left: number;
  /** When the window in Redis ends (ms epoch): unspent points are void after it. */
  endsAt: number;
  /** The window's budget ran out in this lease: no further lease can fit before `endsAt`. */
  exhausted: boolean;
}

/** Points that fitted under `budget` when a lease of `size` took the window's count to `countAfter`. */
export const pointsThatFit = (budget: number, size: number, countAfter: number) =>
  Math.max(0, Math.min(size, budget - (countAfter - size)));

export class LeasedBudget {
  private readonly leases = new Map<string, Lease>();
  /** One lease call in flight per key: requests arriving meanwhile wait for it rather than ask again. */
  private readonly leasing = new Map<string, Promise<void>>();
  readonly leaseSize: number;
  private drawsSinceSweep = 0;

  constructor(
    /** The shared count: a RateLimiterRedis (with its insurance) of `points` per window. */
    private readonly limiter: RateLimiterAbstract,
    /** A monotonic clock in ms: a wall clock stepped back would stretch leases into later windows. */
    private readonly now: () => number = () => performance.now(),
  ) {
    this.leaseSize = leaseSizeFor(limiter.points);
  }

  /**
   * Spends one point of `key`'s budget, or says how long until the window ends: at once while a lease in
   * memory decides (nearly every draw), a promise when a lease must first be taken from Redis.
   */
  draw(key: string): Draw | Promise<Draw> {
    this.sweepNowAndThen();
    return this.fromLease(key) ?? this.drawAfterLeasing(key);
  }

  /** The lease's decision, or null when there is no live lease that can decide. */
  private fromLease(key: string): Draw | null {
    const lease = this.leases.get(key);
    const now = this.now();
    if (!lease || now >= lease.endsAt) return null;
    if (lease.left > 0) {
      lease.left -= 1;
      return { allowed: true };
    }
    return lease.exhausted ? { allowed: false, retryAfterMs: lease.endsAt - now } : null;
  }

  private async drawAfterLeasing(key: string): Promise<Draw> {
    for (;;) {
      const inFlight = this.leasing.get(key);
      if (inFlight) {
        await inFlight;
      } else {
        const leasing = this.lease(key).finally(() => this.leasing.delete(key));
        this.leasing.set(key, leasing);
        await leasing;
      }
      const decided = this.fromLease(key);
      if (decided) return decided;
    }
  }

  private async lease(key: string): Promise<void> {
    const size = this.leaseSize;
    const budget = this.limiter.points;
    // The window's end counted from before the call: it then ends here no later than in Redis, even
    // though Redis's answer (its time left) takes a while to arrive.
    const askedAt = this.now();
    let answer: RateLimiterRes;
    try {
      answer = await this.limiter.consume(key, size);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      answer = refusal;
    }
    const fitted = pointsThatFit(budget, size, answer.consumedPoints);
    this.leases.set(key, {
      left: fitted,
      endsAt: askedAt + answer.msBeforeNext,
      exhausted: answer.consumedPoints >= budget,
    });
  }

  /** Drops ended windows now and then, so keys seen once (an address, say) do not stay forever. */
  private sweepNowAndThen(): void {
    this.drawsSinceSweep += 1;
    if (this.drawsSinceSweep < SWEEP_EVERY_DRAWS) return;
    this.drawsSinceSweep = 0;
    const now = this.now();
    for (const [key, lease] of this.leases) if (now >= lease.endsAt) this.leases.delete(key);
  }
}
