/**
 * The settlement's activities as an in-memory model, typed as the real ones: for workflow tests on the
 * time-skipping server and for recording histories. Orders and offers live in maps; the bids a
 * second-chance offer chooses from are given per auction. Every call is recorded with the time of the
 * clock given (a time-skipping test passes the test server's, which activities' Date.now() does not
 * follow).
 */
import { randomUUID } from 'node:crypto';
import type { Activities } from '../../activities/index.js';
import { orderAmounts } from '../../domain/settlement/amounts.js';
import { nextSecondChanceCandidate, type BidMaximum, type Offer } from '../../domain/settlement/offer.js';
import type { Order, OrderStatus } from '../../domain/settlement/order.js';

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

export interface FakeSettlementOptions {
  /** The clock activities read (the time-skipping environment's, or Date.now). */
  now?: () => number;
  offerWindowSeconds?: number;
  sellerDecisionSeconds?: number;
}

export interface RecordedCall {
  name: SettlementActivityName;
  atMs: number;
  detail?: string;
}

export class FakeSettlement {
  readonly orders = new Map<string, Order>();
  readonly offers = new Map<string, Offer>();
  readonly strikes: string[] = [];
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

  /** What a payment (the webhook, in the real system) does to an order awaiting it. */
  pay(orderId: string): OrderStatus {
    const order = this.orders.get(orderId)!;
    if (order.status === 'awaiting_payment') this.set(order, 'paid');
    return order.status;
  }

  names(): string[] {
    return this.calls.map((c) => (c.detail ? `${c.name}:${c.detail}` : c.name));
  }

  /** Records the call, then yields a turn, as real I/O would. */
  private record(name: SettlementActivityName, detail?: string): Promise<void> {
    this.calls.push({ name, atMs: this.now(), ...(detail === undefined ? {} : { detail }) });
    return new Promise((resolve) => setImmediate(resolve));
  }

  private set(order: Order, status: OrderStatus) {
    order.status = status;
    if (status === 'paid') order.paidAt = new Date(this.now()).toISOString();
  }

  private newOrder(auctionId: string, kind: Order['kind'], buyerId: string, hammerPrice: number): Order {
    const terms = this.auctions.get(auctionId) ?? this.auction(auctionId);
    const now = this.now();
    const order: Order = {
      id: randomUUID(),
      auctionId,
      kind,
      buyerId,
      sellerId: terms.sellerId,
      ...orderAmounts(hammerPrice, terms.buyersPremiumBps),
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
      const terms = this.auctions.get(auctionId) ?? this.auction(auctionId, { winnerId: buyerId });
      terms.winnerId = buyerId;
      const existing = [...this.orders.values()].find((o) => o.auctionId === auctionId && o.kind === 'auction');
      const order = existing ?? this.newOrder(auctionId, 'auction', buyerId, hammerPrice);
      return {
        order: { id: order.id, buyerId, createdAt: order.createdAt, payBy: order.payBy },
        autoSecondChance: terms.autoSecondChance,
        offerWindowSeconds: this.options.offerWindowSeconds ?? 48 * 3600,
        sellerDecisionSeconds: this.options.sellerDecisionSeconds ?? 30 * 24 * 3600,
      };
    },
    announceOrder: async ({ orderId }) => {
      await this.record('announceOrder');
      return this.orders.get(orderId)!.status;
    },
    readOrderStatus: async ({ orderId }) => {
      await this.record('readOrderStatus');
      return this.orders.get(orderId)!.status;
    },
    remindPayment: async ({ atMs }) => {
      await this.record('remindPayment', String(atMs));
    },
    expireOrder: async ({ orderId }) => {
      await this.record('expireOrder');
      const order = this.orders.get(orderId)!;
      if (order.status === 'awaiting_payment') {
        this.set(order, 'expired');
        this.strikes.push(order.buyerId);
      }
      return order.status;
    },
    notifyOrderPaid: async () => {
      await this.record('notifyOrderPaid');
    },
    markOrderPaidByHand: async ({ orderId }) => {
      await this.record('markOrderPaidByHand');
      return this.pay(orderId);
    },
    cancelOrder: async ({ orderId }) => {
      await this.record('cancelOrder');
      const order = this.orders.get(orderId)!;
      if (order.status === 'awaiting_payment') this.set(order, 'cancelled');
      return order.status;
    },
    extendPayBy: async ({ orderId, payBy }) => {
      await this.record('extendPayBy');
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
      return offer;
    },
    answerOffer: async ({ offerId, accept }) => {
      await this.record('answerOffer', accept ? 'accept' : 'decline');
      const offer = this.offers.get(offerId)!;
      if (offer.status !== 'open') {
        return { offer, order: offer.orderId ? this.orders.get(offer.orderId)! : null };
      }
      offer.status = accept ? 'accepted' : 'declined';
      if (!accept) return { offer, order: null };
      const order = this.newOrder(offer.auctionId, 'second_chance', offer.bidderId, offer.amount);
      offer.orderId = order.id;
      return { offer, order };
    },
    expireOffer: async ({ offerId }) => {
      await this.record('expireOffer');
      const offer = this.offers.get(offerId)!;
      if (offer.status === 'open') offer.status = 'expired';
      return offer.status;
    },
  };
}
