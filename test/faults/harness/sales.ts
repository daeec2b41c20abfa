/**
 * Sold auctions for the settlement scenarios, through the API as sellers and bidders make them: each
 * bidder bids one maximum, in rising order, so the last wins and the others stand in a known order for
 * the second-chance offers. Each bidder carries a plan: what they do with an order or an offer.
 */
import { call, signUp, type AuctionJson } from '../../helpers/http.js';

export interface User {
  id: string;
  token: string;
}

/** pay (as soon as told), lapse (never pay), or script (the scenario pays, or not, itself). */
export type OrderPlan = 'pay' | 'lapse' | 'script';
export type OfferPlan = 'accept' | 'decline' | 'ignore';

export interface Plan {
  order: OrderPlan;
  offer: OfferPlan;
}

export interface Bidder extends User {
  max: number;
  plan: Plan;
}

export interface SaleSpec {
  /** Names the sale in messages: its step and number. */
  label: string;
  /** How its settlement should go, when the plans do not say it (plannedStory's form). */
  story?: string;
  /** Its end, from when the scenario's sales are made. */
  endsInMs: number;
  paymentWindowSeconds: number;
  /** One per bidder, lowest maximum first: the last is the winner's. */
  plans: Plan[];
}

export interface Sale {
  label: string;
  auctionId: string;
  seller: User;
  /** Lowest maximum first; the last won. */
  bidders: Bidder[];
  endsAtMs: number;
  paymentWindowSeconds: number;
  /** How its settlement should go. */
  story: string;
}

const STARTING_PRICE = 1000;
const maxOf = (i: number) => 2000 + 1000 * i;

export const winnerOf = (sale: Sale): Bidder => sale.bidders[sale.bidders.length - 1]!;

/**
 * What the plans make of a settlement, told as the checks tell it (bidders by rank, b0 bid the least):
 * the winner's order, then an offer to each next bidder by maximum until an order is paid or nobody is
 * left. A scripted buyer pays (the scenario's script pays within the window).
 */
export function plannedStory(plans: readonly Plan[]): string {
  const events: string[] = [];
  const order = (rank: number) => {
    const paid = plans[rank]!.order !== 'lapse';
    events.push(`b${rank} order ${paid ? 'paid' : 'expired'}`);
    return paid;
  };
  if (order(plans.length - 1)) return events.join(', ');
  for (let rank = plans.length - 2; rank >= 0; rank--) {
    const answer = plans[rank]!.offer;
    events.push(`b${rank} offer ${answer === 'accept' ? 'accepted' : answer === 'decline' ? 'declined' : 'expired'}`);
    if (answer === 'accept' && order(rank)) break;
  }
  return events.join(', ');
}

export async function openSales(url: string, specs: readonly SaleSpec[]): Promise<Sale[]> {
  // One at a time: dozens of password hashes at once on a loaded 2-core machine hold the API's database
  // connections past their timeout, and sign-ups answer 503. The scenario is about settlement, not that.
  const people: { seller: Awaited<ReturnType<typeof signUp>>; bidders: Awaited<ReturnType<typeof signUp>>[] }[] = [];
  for (const spec of specs) {
    const seller = await signUp(url, `${spec.label}-seller`);
    const bidders = [];
    for (const [i] of spec.plans.entries()) bidders.push(await signUp(url, `${spec.label}-bidder${i}`));
    people.push({ seller, bidders });
  }
  const base = Date.now();
  return Promise.all(
    specs.map(async (spec, s) => {
      const { seller, bidders } = people[s]!;
      const endsAtMs = base + spec.endsInMs;
      const created = await call<AuctionJson>(`${url}/v1/auctions`, {
        token: seller.token,
        body: {
          title: `Settlement fault: ${spec.label}`,
          startingPrice: STARTING_PRICE,
          endsAt: new Date(endsAtMs).toISOString(),
          paymentWindowSeconds: spec.paymentWindowSeconds,
          buyersPremiumBps: 1000,
          autoSecondChance: true,
        },
      });
      if (created.status !== 201) throw new Error(`create answered ${created.status}: ${JSON.stringify(created.body)}`);
      const auctionId = created.body.id;
      for (const [i, bidder] of bidders.entries()) {
        const placed = await call(`${url}/v1/auctions/${auctionId}/bids`, {
          token: bidder.token,
          body: { amount: maxOf(i) },
        });
        if (placed.status !== 201) throw new Error(`bid answered ${placed.status}: ${JSON.stringify(placed.body)}`);
      }
      if (Date.now() >= endsAtMs) throw new Error(`${spec.label}: the bids came after its end`);
      return {
        label: spec.label,
        auctionId,
        seller,
        bidders: bidders.map((b, i) => ({ id: b.id, token: b.token, max: maxOf(i), plan: spec.plans[i]! })),
        endsAtMs,
        paymentWindowSeconds: spec.paymentWindowSeconds,
        story: spec.story ?? plannedStory(spec.plans),
      };
    }),
  );
}
