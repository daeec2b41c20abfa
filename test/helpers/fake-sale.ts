/**
 * The sale workflow's activities (activities/sales/) as an in-memory model, typed as the real ones: for
 * workflow tests on the time-skipping server and for recording histories. One object stands for both
 * stores: the sale's state in Redis (counts, holds scored by their expiry, the claim log, the waitlist,
 * decided on the clock given, as the scripts decide on Redis's) and its orders in Postgres (whose status
 * decides each hold's fate, as hold-fates.ts). Claims, payments and waitlist joins are the test's to
 * make; every activity call and every hold's end is recorded with the clock's time.
 *
 * The clock may be asynchronous: a time-skipping test passes the test server's (`env.currentTimeMs()`),
 * which the workflow's timers follow and which a local activity, run inside a workflow task, reads as the
 * workflow's time (the server does not skip while a workflow task is out).
 */
import { randomUUID } from 'node:crypto';
import type { Activities } from '../../activities/index.js';
import { decideClaim, isOpenAt } from '../../domain/sales/claim.js';
import { countsAreWhole, type SaleCounts, type SalePhase } from '../../domain/sales/sale.js';
import type { ClaimsPending, SaleProgress } from '../../domain/sales/workflow.js';
import type { OrderStatus } from '../../domain/settlement/order.js';
import type { LoggedHold } from '../../lua/sale-store.js';

type SaleActivityName = 'persistSale' | 'settleDueHolds' | 'settleSaleOrder' | 'openSale' | 'closeSale' | 'cancelSale';

export type SaleActivities = Pick<Activities, SaleActivityName>;

export interface SaleCall {
  name: SaleActivityName;
  atMs: number;
  /** The seq it was given, the order, the reason. */
  detail?: string;
}

export interface FakeHold {
  orderId: string;
  userId: string;
  quantity: number;
  expiresAtMs: number;
}

/** An order row, as Postgres keeps it. */
export interface FakeSaleOrder {
  id: string;
  saleId: string;
  buyerId: string;
  quantity: number;
  status: OrderStatus;
  payByMs: number;
  fromWaitlist: boolean;
}

/** How a hold ended, and when (the clock's time of the run that ended it). */
export interface HoldEnd {
  orderId: string;
  expiresAtMs: number;
  endedAtMs: number;
  as: 'sold' | 'released';
}

export interface FakeSaleState extends SaleCounts {
  id: string;
  sellerId: string;
  stock: number;
  perUserLimit: number;
  holdMs: number;
  startsAtMs: number;
  endsAtMs: number | null;
  phase: SalePhase;
  seq: number;
  /** The sorted set and the hash of open holds. */
  holds: Map<string, FakeHold>;
  /** Units each user holds or bought. */
  units: Map<string, number>;
  /** The claim log (never trimmed here: a test reads it all). */
  log: LoggedHold[];
  waitlist: { userId: string; quantity: number }[];
  /** The highest seq a persist or expiry run copied. */
  persistedSeq: number;
  calls: SaleCall[];
  ends: HoldEnd[];
  /** waitlist_offer notices: one per waitlist hold's order. */
  offers: { userId: string; orderId: string; atMs: number }[];
}

export interface SalePlan {
  startsAtMs: number;
  endsAtMs: number | null;
  stock: number;
  perUserLimit?: number;
  holdMs: number;
  sellerId?: string;
}

export interface FakeSaleOptions {
  /** The clock Redis decides on (default Date.now). */
  now?: () => number | Promise<number>;
  /** Real milliseconds each activity takes (default 0: it only yields a turn). */
  latencyMs?: number;
}

export class FakeSale {
  readonly sales = new Map<string, FakeSaleState>();
  /** Postgres's orders, of every sale. */
  readonly orders = new Map<string, FakeSaleOrder>();
  readonly activities: SaleActivities;
  private readonly now: () => number | Promise<number>;

  constructor(private readonly options: FakeSaleOptions = {}) {
    this.now = options.now ?? Date.now;
    this.activities = this.build();
  }

  /** A sale made by the API: its row and its Redis state, scheduled. */
  add(plan: SalePlan): FakeSaleState {
    const sale: FakeSaleState = {
      id: randomUUID(),
      sellerId: plan.sellerId ?? randomUUID(),
      stock: plan.stock,
      perUserLimit: plan.perUserLimit ?? 1,
      holdMs: plan.holdMs,
      startsAtMs: plan.startsAtMs,
      endsAtMs: plan.endsAtMs,
      phase: 'scheduled',
      available: plan.stock,
      held: 0,
      sold: 0,
      seq: 0,
      holds: new Map(),
      units: new Map(),
      log: [],
      waitlist: [],
      persistedSeq: 0,
      calls: [],
      ends: [],
      offers: [],
    };
    this.sales.set(sale.id, sale);
    return sale;
  }

  get(saleId: string): FakeSaleState {
    const sale = this.sales.get(saleId);
    if (!sale) throw new Error(`no fake sale ${saleId}`);
    return sale;
  }

  /**
   * A claim at `nowMs` (claim-sale.lua): a hold, or a refusal. `holdMs` overrides the sale's, so a test
   * may spread many holds' ends. The answer is what the API signals (null when refused).
   */
  claim(
    saleId: string,
    userId: string,
    quantity: number,
    nowMs: number,
    holdMs?: number,
  ): (ClaimsPending & { orderId: string }) | null {
    const sale = this.get(saleId);
    const decision = decideClaim({ ...sale, buyerUnits: sale.units.get(userId) ?? 0 }, userId, quantity, nowMs);
    if (!decision.ok) return null;
    sale.available -= quantity;
    const hold = this.hold(sale, userId, quantity, nowMs, holdMs ?? sale.holdMs, false);
    return { seq: sale.seq, holdExpiresAtMs: hold.expiresAtMs, orderId: hold.orderId };
  }

  /** Joins the waitlist (join-waitlist.lua, in short): only while units are held and none available. */
  joinWaitlist(saleId: string, userId: string, quantity: number): boolean {
    const sale = this.get(saleId);
    if (sale.available >= quantity || sale.held === 0) return false;
    sale.waitlist.push({ userId, quantity });
    return true;
  }

  /** The webhook's payment (db/order-payments.ts): only an order awaiting payment becomes paid. */
  pay(orderId: string): OrderStatus {
    const order = this.orders.get(orderId);
    if (!order) throw new Error(`no order ${orderId} in Postgres (not persisted yet)`);
    if (order.status === 'awaiting_payment') order.status = 'paid';
    return order.status;
  }

  /** stock = available + held + sold, and the open holds add up to held. */
  assertWhole(saleId: string): void {
    const sale = this.get(saleId);
    const holdUnits = [...sale.holds.values()].reduce((sum, h) => sum + h.quantity, 0);
    if (!countsAreWhole(sale.stock, sale) || holdUnits !== sale.held) {
      throw new Error(`sale ${saleId}: counts ${JSON.stringify({ ...sale, holds: holdUnits })} are not whole`);
    }
  }

  private hold(
    sale: FakeSaleState,
    userId: string,
    quantity: number,
    nowMs: number,
    holdMs: number,
    fromWaitlist: boolean,
  ): FakeHold {
    const hold: FakeHold = { orderId: randomUUID(), userId, quantity, expiresAtMs: nowMs + holdMs };
    sale.held += quantity;
    sale.seq += 1;
    sale.units.set(userId, (sale.units.get(userId) ?? 0) + quantity);
    sale.holds.set(hold.orderId, hold);
    sale.log.push({ ...hold, seq: sale.seq, fromWaitlist, heldAtMs: nowMs });
    return hold;
  }

  private async record(sale: FakeSaleState, name: SaleActivityName, detail?: string): Promise<number> {
    const atMs = await this.now();
    sale.calls.push({ name, atMs, ...(detail === undefined ? {} : { detail }) });
    const latency = this.options.latencyMs ?? 0;
    await new Promise((resolve) => (latency > 0 ? setTimeout(resolve, latency) : setImmediate(resolve)));
    return atMs;
  }

  /** persistSale's copy: the log's holds after `afterSeq` become orders; waitlist holds are offered. */
  private copyLog(sale: FakeSaleState, afterSeq: number, atMs: number): number {
    for (const entry of sale.log) {
      if (entry.seq <= afterSeq || this.orders.has(entry.orderId)) continue;
      this.orders.set(entry.orderId, {
        id: entry.orderId,
        saleId: sale.id,
        buyerId: entry.userId,
        quantity: entry.quantity,
        status: 'awaiting_payment',
        payByMs: entry.expiresAtMs,
        fromWaitlist: entry.fromWaitlist,
      });
      if (entry.fromWaitlist) sale.offers.push({ userId: entry.userId, orderId: entry.orderId, atMs });
    }
    sale.persistedSeq = Math.max(sale.persistedSeq, sale.seq);
    return sale.seq;
  }

  /** settle-holds.lua: ends each hold once, as its order says; releases serve the waitlist while open. */
  private settle(sale: FakeSaleState, orderIds: readonly string[], atMs: number): void {
    const serving = isOpenAt(sale, atMs);
    for (const orderId of orderIds) {
      const hold = sale.holds.get(orderId);
      const status = this.orders.get(orderId)?.status;
      if (!hold || status === undefined || status === 'awaiting_payment') continue;
      sale.holds.delete(orderId);
      sale.held -= hold.quantity;
      sale.ends.push({
        orderId,
        expiresAtMs: hold.expiresAtMs,
        endedAtMs: atMs,
        as: status === 'paid' ? 'sold' : 'released',
      });
      if (status === 'paid') {
        sale.sold += hold.quantity;
        continue;
      }
      sale.units.set(hold.userId, (sale.units.get(hold.userId) ?? 0) - hold.quantity);
      let free = hold.quantity;
      while (serving && free > 0 && sale.waitlist.length > 0) {
        const head = sale.waitlist[0]!;
        const give = Math.min(head.quantity, free, sale.perUserLimit - (sale.units.get(head.userId) ?? 0));
        if (give > 0) {
          this.hold(sale, head.userId, give, atMs, sale.holdMs, true);
          free -= give;
          head.quantity -= give;
        }
        if (give <= 0 || head.quantity === 0) sale.waitlist.shift();
      }
      sale.available += free;
    }
  }

  private progress(sale: FakeSaleState, persistedSeq: number): SaleProgress {
    this.assertWhole(sale.id);
    const expiries = [...sale.holds.values()].map((h) => h.expiresAtMs);
    return {
      persistedSeq,
      earliestHoldExpiryMs: expiries.length === 0 ? null : Math.min(...expiries),
      counts: { available: sale.available, held: sale.held, sold: sale.sold },
      phase: sale.phase,
    };
  }

  private build(): SaleActivities {
    return {
      persistSale: async (saleId, persistedSeq) => {
        const sale = this.get(saleId);
        const atMs = await this.record(sale, 'persistSale', String(persistedSeq));
        return this.progress(sale, this.copyLog(sale, persistedSeq, atMs));
      },
      settleDueHolds: async (saleId, persistedSeq) => {
        const sale = this.get(saleId);
        const atMs = await this.record(sale, 'settleDueHolds', String(persistedSeq));
        this.copyLog(sale, persistedSeq, atMs);
        const due = [...sale.holds.values()].filter((h) => h.expiresAtMs <= atMs).map((h) => h.orderId);
        for (const orderId of due) {
          const order = this.orders.get(orderId);
          if (order?.status === 'awaiting_payment') order.status = 'expired';
        }
        this.settle(sale, due, atMs);
        return this.progress(sale, this.copyLog(sale, persistedSeq, atMs));
      },
      settleSaleOrder: async (saleId, orderId, persistedSeq) => {
        const sale = this.get(saleId);
        const atMs = await this.record(sale, 'settleSaleOrder', orderId);
        if (this.orders.get(orderId)?.status === 'paid') this.settle(sale, [orderId], atMs);
        return this.progress(sale, persistedSeq);
      },
      openSale: async (saleId) => {
        const sale = this.get(saleId);
        await this.record(sale, 'openSale');
        if (sale.phase === 'scheduled') sale.phase = 'open';
        return sale.phase;
      },
      closeSale: async (saleId) => {
        const sale = this.get(saleId);
        const atMs = await this.record(sale, 'closeSale');
        const final = sale.phase === 'closed' || sale.phase === 'cancelled';
        if (!final && (sale.endsAtMs === null || atMs >= sale.endsAtMs)) {
          sale.phase = 'closed';
          sale.waitlist = [];
        }
        return { closed: sale.phase === 'closed', endsAtMs: sale.endsAtMs, phase: sale.phase };
      },
      cancelSale: async (saleId, reason, persistedSeq) => {
        const sale = this.get(saleId);
        const atMs = await this.record(sale, 'cancelSale', reason);
        if (sale.phase !== 'closed') {
          sale.phase = 'cancelled';
          sale.waitlist = [];
        }
        const seq = this.copyLog(sale, persistedSeq, atMs);
        if (sale.phase !== 'cancelled') return this.progress(sale, seq);
        for (const order of this.orders.values()) {
          if (order.saleId === saleId && order.status === 'awaiting_payment') order.status = 'cancelled';
        }
        this.settle(sale, [...sale.holds.keys()], atMs);
        return this.progress(sale, seq);
      },
    };
  }
}
