/**
 * Settled sales through the real API, worker and webhook, each auction from its creation to its
 * settlement's end, so their workflow histories can be counted:
 *   - paid on time: the winner pays (a signed checkout.session.completed) once told to;
 *   - unpaid, then a second chance: the winner lets a short window pass, the order expires, the seller
 *     offers the lot to the runner-up, who accepts and pays.
 */
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import type { AuctionWorkflowState } from '../domain/auction-workflow.js';
import type { SettlementState } from '../domain/settlement/workflow.js';
import { auctionWorkflowId } from '../domain/temporal-names.js';
import { call, type AuctionJson, type BidJson } from '../test/helpers/http.js';
import { phaseOf, settlementOf, until, type OfferJson, type OrderJson, type User } from '../test/helpers/settlement.js';
import { paidCheckoutSession } from '../scripts/stripe-events.js';
import { postStripeEvent } from './stripe-payments.js';

export interface SaleContext {
  apiUrl: string;
  pool: pg.Pool;
  temporal: Client;
  seller: User;
  /** The webhook's signing secret (STRIPE_WEBHOOK_SECRET). */
  webhookSecret: string;
  /** Bids 3,000 on every lot: second in each, and so the one offered a second chance. */
  runnerUp: User;
}

/** Time to create the auction and place both bids before its end, with other sales doing the same. */
const AUCTION_MS = 4000;
const WAIT_MS = 120_000;

async function ok<T>(what: string, answer: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const got = await answer;
  if (got.status !== status) throw new Error(`${what}: ${got.status} ${JSON.stringify(got.body)}`);
  return got.body;
}

/** An auction won by `winner` at the runner-up's maximum plus an increment; resolves once it has closed. */
async function sell(ctx: SaleContext, winner: User, paymentWindowSeconds?: number): Promise<string> {
  const created = await ok(
    'create',
    call<AuctionJson>(`${ctx.apiUrl}/v1/auctions`, {
      token: ctx.seller.token,
      body: {
        title: 'Bench lot',
        startingPrice: 1000,
        endsAt: new Date(Date.now() + AUCTION_MS).toISOString(),
        ...(paymentWindowSeconds !== undefined && { paymentWindowSeconds }),
      },
    }),
    201,
  );
  for (const [bidder, amount] of [
    [ctx.runnerUp, 3000],
    [winner, 5000],
  ] as const) {
    const url = `${ctx.apiUrl}/v1/auctions/${created.id}/bids`;
    await ok('bid', call<BidJson>(url, { token: bidder.token, body: { amount } }), 201);
  }
  const closed = await ctx.temporal.workflow
    .getHandle(auctionWorkflowId(created.id))
    .result()
    .then((state: AuctionWorkflowState) => state);
  if (closed.result?.outcome !== 'sold') throw new Error(`${created.id} did not sell`);
  return created.id;
}

/** The buyer is told to pay (the settlement's first step) before paying, as a real buyer would be. */
const toldToPay = (ctx: SaleContext, auctionId: string) =>
  until(
    'payment_due',
    async () => {
      const { rowCount } = await ctx.pool.query(
        `SELECT 1 FROM notifications WHERE auction_id = $1 AND type = 'payment_due'`,
        [auctionId],
      );
      return rowCount ? true : undefined;
    },
    WAIT_MS,
  );

async function paid(ctx: SaleContext, order: OrderJson): Promise<void> {
  const outcome = await postStripeEvent(ctx.apiUrl, ctx.webhookSecret, paidCheckoutSession(order));
  if (outcome !== 'paid') throw new Error(`order ${order.id}: ${outcome}`);
}

async function settled(ctx: SaleContext, auctionId: string): Promise<void> {
  const state = (await settlementOf(ctx.temporal, auctionId).result()) as SettlementState;
  if (state.phase !== 'paid') throw new Error(`settlement of ${auctionId} ended ${state.phase}`);
}

/** Sold, told to pay, paid: the auction's id once its settlement has ended. */
export async function paidOnTime(ctx: SaleContext, winner: User): Promise<string> {
  const auctionId = await sell(ctx, winner);
  await toldToPay(ctx, auctionId);
  const orderId = (
    await ctx.pool.query<{ id: string }>('SELECT order_id AS id FROM auctions WHERE id = $1', [auctionId])
  ).rows[0]!.id;
  await paid(ctx, await ok('order', call<OrderJson>(`${ctx.apiUrl}/v1/orders/${orderId}`, { token: winner.token })));
  await settled(ctx, auctionId);
  return auctionId;
}

/**
 * Sold to `winner`, who never pays: after `paymentWindowSeconds` the order expires; the seller offers
 * the lot to the runner-up, who accepts (an order with the same window) and pays at once.
 */
export async function unpaidThenSecondChance(
  ctx: SaleContext,
  winner: User,
  paymentWindowSeconds: number,
): Promise<string> {
  const auctionId = await sell(ctx, winner, paymentWindowSeconds);
  await until(
    'the expiry',
    async () => ((await phaseOf(ctx.temporal, auctionId)) === 'awaiting_seller' ? true : undefined),
    WAIT_MS,
  );
  const offer = await ok(
    'second chance',
    call<OfferJson>(`${ctx.apiUrl}/v1/auctions/${auctionId}/second-chance`, {
      token: ctx.seller.token,
      body: { offerWindowSeconds: 3600 },
    }),
    201,
  );
  const accepted = await ok(
    'accept',
    call<{ order: OrderJson }>(`${ctx.apiUrl}/v1/offers/${offer.id}/accept`, {
      method: 'POST',
      token: ctx.runnerUp.token,
    }),
  );
  await paid(ctx, accepted.order);
  await settled(ctx, auctionId);
  return auctionId;
}
