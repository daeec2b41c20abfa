/**
 * The settlement's activities as an in-memory model, typed as the real ones: for workflow tests on the
 * time-skipping server and for recording histories. Orders, offers, strikes, payouts and the notices the
 * real activities send live in memory; the bids a second-chance offer chooses from are given per
 * auction. Every call is recorded with the time of the clock given (a time-skipping test passes the test
 * server's, which activities' Date.now() does not follow).
 */
import { randomUUID } from 'node:crypto';
import type { Activities } from '../../activities/index.js';
import { orderAmounts, sellerPayout } from '../../domain/settlement/amounts.js';
import { nextSecondChanceCandidate, type BidMaximum, type Offer } from '../../domain/settlement/offer.js';
import type { Order, OrderStatus } from '../../domain/settlement/order.js';
import type { SettlementInput } from '../../domain/settlement/workflow.js';

type SettlementActivityName =
  | 'openAuctionOrder'
  | 'announceOrder'
  | 'readOrderStatus'
  | 'remindPayment'
  | 'expireOrder'
  | 'notifyOrderPaid'
  | 'markOrderPaidByHand'
  | 'cancelOrder'
  | 'extendPayBy'
  | 'makeSecondChanceOffer'
  | 'answerOffer'
  | 'expireOffer';

export type SettlementActivities = Pick<Activities, SettlementActivityName>;

export interface FakeAuctionTerms {
  sellerId: string;
  currency: string;
  paymentWindowSeconds: number;
  buyersPremiumBps: number;
  autoSecondChance: boolean;
  bids: BidMaximum[];
  winnerId?: string;
}

/** What soldClose needs: the auction, its winner and price, and the settlement's windows. */
export interface SoldClose {
  auctionId: string;
  winnerId: string;
  hammerPrice: number;
  paymentWindowSeconds: number;
  autoSecondChance?: boolean;
  /** Every bid of the auction, the winner's included (the winner never gets an offer). */
  bids?: BidMaximum[];
  offerWindowSeconds: number;
  sellerDecisionSeconds: number;
}

export interface FakeSettlementOptions {
  /** The clock activities read (the time-skipping environment's, or Date.now). */
  now?: () => number;
  offerWindowSeconds?: number;
  sellerDecisionSeconds?: number;
  /** The house's fee on the hammer price, as SELLER_FEE_BPS (default 1000, its default too). */
  sellerFeeBps?: number;
}

export interface RecordedCall {
  name: SettlementActivityName;
  atMs: number;
  detail?: string;
}

/** A message the real activity sends through the notification pipeline, as activities/settlement/notices.ts. */
export interface FakeNotice {
  type:
    | 'payment_due'
    | 'payment_reminder'
    | 'order_unpaid'
    | 'order_paid'
    | 'order_cancelled'
    | 'second_chance_offer'
    | 'second_chance_answered';
  userId: string;
  /** The order or offer it is about. */
  aboutId: string;
  atMs: number;
}

/** What a paid order owes its seller (db/order-payments.ts writes it with the payment). */
export interface FakePayout {
  orderId: string;
  sellerId: string;
  amount: number;
  sellerFee: number;
  atMs: number;
}

export class FakeSettlement {
  readonly orders = new Map<string, Order>();
  readonly offers = new Map<string, Offer>();
  /** The buyer of each order that expired unpaid, in order. */
  readonly strikes: string[] = [];
  readonly payouts: FakePayout[] = [];
  readonly notices: FakeNotice[] = [];
  readonly calls: RecordedCall[] = [];
  private readonly auctions = new Map<string, FakeAuctionTerms>();
  private readonly now: () => number;

  constructor(private readonly options: FakeSettlementOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  auction(auctionId: string, terms: Partial<FakeAuctionTerms> = {}): FakeAuctionTerms {
    const full: FakeAuctionTerms = {
      sellerId: randomUUID(),
      currency: 'EUR',
      paymentWindowSeconds: 3 * 24 * 3600,
      buyersPremiumBps: 1000,
      autoSecondChance: false,
      bids: [],
      ...terms,
    };
    this.auctions.set(auctionId, full);
    return full;
  }

  /**
   * The winner's order a sold close makes (openAuctionOrder, without recording a call), made at `atMs`:
   * for a test that starts a settlement by itself. Once per auction, as the real one.
   */
  openOrder(auctionId: string, buyerId: string, hammerPrice: number, atMs: number = this.now()): Order {
    const terms = this.auctions.get(auctionId) ?? this.auction(auctionId, { winnerId: buyerId });
    terms.winnerId = buyerId;
    const existing = [...this.orders.values()].find((o) => o.auctionId === auctionId && o.kind === 'auction');
    return existing ?? this.newOrder(auctionId, 'auction', buyerId, hammerPrice, atMs);
  }

  /**
   * A sold close as it reaches the settlement, for a test or script that starts one by itself: the
   * auction's terms and bids, the winner's order made at `atMs`, and the input the auction workflow
   * starts the settlement with.
   */
  soldClose(plan: SoldClose, atMs: number = this.now()): { sellerId: string; order: Order; input: SettlementInput } {
    const terms = this.auction(plan.auctionId, {
      paymentWindowSeconds: plan.paymentWindowSeconds,
      autoSecondChance: plan.autoSecondChance ?? false,
      bids: plan.bids ?? [],
    });
    const order = this.openOrder(plan.auctionId, plan.winnerId, plan.hammerPrice, atMs);
    const input: SettlementInput = {
      auctionId: plan.auctionId,
      sellerId: terms.sellerId,
      order: { id: order.id, buyerId: order.buyerId, createdAt: order.createdAt, payBy: order.payBy },
      autoSecondChance: terms.autoSecondChance,
      offerWindowSeconds: plan.offerWindowSeconds,
      sellerDecisionSeconds: plan.sellerDecisionSeconds,
    };
    return { sellerId: terms.sellerId, order, input };
  }

  /**
   * What a payment does to an order (db/order-payments.ts: the webhook's, or an operator's by hand): one
   * awaiting it is paid and owes its seller a payout; any other is left as it is (the webhook refunds).
   */
  pay(orderId: string, atMs: number = this.now()): OrderStatus {
    const order = this.orders.get(orderId)!;
    if (order.status !== 'awaiting_payment') return order.status;
    order.status = 'paid';
    order.paidAt = new Date(atMs).toISOString();
    const payout = sellerPayout(order.hammerPrice, this.options.sellerFeeBps ?? 1000);
    this.payouts.push({ orderId, sellerId: order.sellerId, ...payout, atMs });
    return order.status;
  }

  /** The notices sent so far as `type:userId`, in order (optionally only those about one order or offer). */
  noticesTo(aboutId?: string): string[] {
    return this.notices
      .filter((n) => aboutId === undefined || n.aboutId === aboutId)
      .map((n) => `${n.type}:${n.userId}`);
  }

  names(): string[] {
    return this.calls.map((c) => (c.detail ? `${c.name}:${c.detail}` : c.name));
  }

  /** Records the call, then yields a turn, as real I/O would. */
  private record(name: SettlementActivityName, detail?: string): Promise<void> {
    this.calls.push({ name, atMs: this.now(), ...(detail === undefined ? {} : { detail }) });
    return new Promise((resolve) => setImmediate(resolve));
  }

  /** A notice about an order to its buyer, or to both parties (SettlementNotices.order). */
  private noticeOfOrder(type: FakeNotice['type'], order: Order, toSeller = false): void {
    const atMs = this.now();
    this.notices.push({ type, userId: order.buyerId, aboutId: order.id, atMs });
    if (toSeller) this.notices.push({ type, userId: order.sellerId, aboutId: order.id, atMs });
  }

  /** A new offer to its bidder, or its answer to the seller (SettlementNotices.offer). */
  private noticeOfOffer(type: 'second_chance_offer' | 'second_chance_answered', offer: Offer): void {
    const userId = type === 'second_chance_offer' ? offer.bidderId : offer.sellerId;
    this.notices.push({ type, userId, aboutId: offer.id, atMs: this.now() });
  }

  private newOrder(
    auctionId: string,
    kind: Order['kind'],
    buyerId: string,
    hammerPrice: number,
    now: number = this.now(),
  ): Order {
    const terms = this.auctions.get(auctionId) ?? this.auction(auctionId);
    const amounts = orderAmounts(hammerPrice, terms.buyersPremiumBps);
    const order: Order = {
      id: randomUUID(),
      auctionId,
      saleId: null,
      kind,
      quantity: 1,
      buyerId,
      sellerId: terms.sellerId,
      ...amounts,
      houseSubsidy: 0,
      amountDue: amounts.total,
      currency: terms.currency,
      status: 'awaiting_payment',
      payBy: new Date(now + terms.paymentWindowSeconds * 1000).toISOString(),
      paidAt: null,
      createdAt: new Date(now).toISOString(),
    };
    this.orders.set(order.id, order);
    return order;
  }

  readonly activities: SettlementActivities = {
    openAuctionOrder: async ({ auctionId, buyerId, hammerPrice }) => {
      await this.record('openAuctionOrder');
      const order = this.openOrder(auctionId, buyerId, hammerPrice);
      return {
        order: { id: order.id, buyerId, createdAt: order.createdAt, payBy: order.payBy },
        autoSecondChance: this.auctions.get(auctionId)!.autoSecondChance,
        offerWindowSeconds: this.options.offerWindowSeconds ?? 48 * 3600,
        sellerDecisionSeconds: this.options.sellerDecisionSeconds ?? 30 * 24 * 3600,
      };
    },
    announceOrder: async ({ orderId }) => {
      await this.record('announceOrder');
      const order = this.orders.get(orderId)!;
      if (order.status === 'awaiting_payment') this.noticeOfOrder('payment_due', order);
      return order.status;
    },
    readOrderStatus: async ({ orderId }) => {
      await this.record('readOrderStatus');
      return this.orders.get(orderId)!.status;
    },
    remindPayment: async ({ orderId, atMs }) => {
      await this.record('remindPayment', String(atMs));
      const order = this.orders.get(orderId)!;
      if (order.status === 'awaiting_payment') this.noticeOfOrder('payment_reminder', order);
    },
    expireOrder: async ({ orderId }) => {
      await this.record('expireOrder');
      const order = this.orders.get(orderId)!;
      if (order.status === 'awaiting_payment') {
        order.status = 'expired';
        this.strikes.push(order.buyerId);
      }
      if (order.status === 'expired') this.noticeOfOrder('order_unpaid', order, true);
      return order.status;
    },
    notifyOrderPaid: async ({ orderId }) => {
      await this.record('notifyOrderPaid');
      const order = this.orders.get(orderId)!;
      if (order.status === 'paid') this.noticeOfOrder('order_paid', order, true);
    },
    markOrderPaidByHand: async ({ orderId, reason }) => {
      await this.record('markOrderPaidByHand', reason);
      return this.pay(orderId);
    },
    cancelOrder: async ({ orderId, reason }) => {
      await this.record('cancelOrder', reason);
      const order = this.orders.get(orderId)!;
      if (order.status === 'awaiting_payment') order.status = 'cancelled';
      if (order.status === 'cancelled') this.noticeOfOrder('order_cancelled', order, true);
      return order.status;
    },
    extendPayBy: async ({ orderId, payBy }) => {
      await this.record('extendPayBy', payBy);
      const order = this.orders.get(orderId)!;
      if (order.status === 'awaiting_payment' && Date.parse(payBy) > Date.parse(order.payBy)) order.payBy = payBy;
      return { status: order.status, payBy: order.payBy };
    },
    makeSecondChanceOffer: async ({ auctionId, offerWindowSeconds }) => {
      await this.record('makeSecondChanceOffer');
      const terms = this.auctions.get(auctionId)!;
      const excluded = new Set([terms.sellerId, ...(terms.winnerId ? [terms.winnerId] : [])]);
      for (const o of this.orders.values()) if (o.auctionId === auctionId) excluded.add(o.buyerId);
      for (const o of this.offers.values()) if (o.auctionId === auctionId) excluded.add(o.bidderId);
      const candidate = nextSecondChanceCandidate(terms.bids, excluded);
      if (!candidate) return null;
      const now = this.now();
      const offer: Offer = {
        id: randomUUID(),
        auctionId,
        bidderId: candidate.bidderId,
        sellerId: terms.sellerId,
        amount: candidate.amount,
        currency: terms.currency,
        status: 'open',
        expiresAt: new Date(now + offerWindowSeconds * 1000).toISOString(),
        createdAt: new Date(now).toISOString(),
        orderId: null,
      };
      this.offers.set(offer.id, offer);
      this.noticeOfOffer('second_chance_offer', offer);
      return offer;
    },
    answerOffer: async ({ offerId, accept }) => {
      await this.record('answerOffer', accept ? 'accept' : 'decline');
      const offer = this.offers.get(offerId)!;
      if (offer.status !== 'open') {
        return { offer, order: offer.orderId ? this.orders.get(offer.orderId)! : null };
      }
      offer.status = accept ? 'accepted' : 'declined';
      this.noticeOfOffer('second_chance_answered', offer);
      if (!accept) return { offer, order: null };
      const order = this.newOrder(offer.auctionId, 'second_chance', offer.bidderId, offer.amount);
      offer.orderId = order.id;
      this.noticeOfOrder('payment_due', order);
      return { offer, order };
    },
    expireOffer: async ({ offerId }) => {
      await this.record('expireOffer');
      const offer = this.offers.get(offerId)!;
      if (offer.status === 'open') offer.status = 'expired';
      if (offer.status === 'expired') this.noticeOfOffer('second_chance_answered', offer);
      return offer.status;
    },
  };
}
