/**
 * Settlement on the real stack in tests: a sold auction with the bidders and terms a test needs, the
 * settlement workflow's phase, and orders as the API answers them.
 */
import assert from 'node:assert/strict';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { auctions } from '../../db/schema.js';
import type { SettlementState } from '../../domain/settlement/workflow.js';
import { settlementWorkflowId } from '../../domain/temporal-names.js';
import { settlementStateQuery } from '../../workflows/settlement/definitions.js';
import type { TestDatabase } from './database.js';
import { call, type AuctionJson, type BidJson } from './http.js';

export type User = { id: string; token: string; email: string };

export interface OrderJson {
  id: string;
  auctionId: string;
  kind: string;
  buyerId: string;
  sellerId: string;
  hammerPrice: number;
  buyersPremium: number;
  total: number;
  currency: string;
  status: string;
  payBy: string;
  paidAt: string | null;
}

export interface OfferJson {
  id: string;
  bidderId: string;
  amount: number;
  status: string;
  orderId: string | null;
}

export const until = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

export interface SaleTerms {
  paymentWindowSeconds: number;
  buyersPremiumBps: number;
  auto?: boolean;
}

/**
 * A sold auction: the bidders bid their maxima in order, the last (highest) wins at the runner-up's
 * maximum plus an increment. Resolves once the close has made the winner's order.
 */
export async function soldAuction(
  ctx: { apiUrl: string; database: TestDatabase; seller: User },
  bids: readonly (readonly [User, number])[],
  terms: SaleTerms,
): Promise<{ auctionId: string; orderId: string; finalPrice: number }> {
  const created = await call<AuctionJson>(`${ctx.apiUrl}/v1/auctions`, {
    token: ctx.seller.token,
    body: { title: 'A walnut writing slope', startingPrice: 1000, endsAt: new Date(Date.now() + 2500).toISOString() },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const auctionId = created.body.id;
  await ctx.database.db
    .update(auctions)
    .set({
      paymentWindowSeconds: terms.paymentWindowSeconds,
      buyersPremiumBps: terms.buyersPremiumBps,
      autoSecondChance: terms.auto ?? false,
    })
    .where(eq(auctions.id, auctionId));
  for (const [user, amount] of bids) {
    const placed = await call<BidJson>(`${ctx.apiUrl}/v1/auctions/${auctionId}/bids`, {
      token: user.token,
      body: { amount },
    });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
  }
  const closed = await until('the close', async () => {
    const [row] = await ctx.database.db.select().from(auctions).where(eq(auctions.id, auctionId));
    return row?.status === 'closed' ? row : undefined;
  });
  assert.ok(closed.orderId, 'a sale makes an order');
  return { auctionId, orderId: closed.orderId, finalPrice: closed.finalPrice! };
}

export const settlementOf = (client: Client, auctionId: string) =>
  client.workflow.getHandle(settlementWorkflowId(auctionId));

/** The settlement's phase; undefined until the close has started it (the row says closed a moment before). */
export const phaseOf = async (client: Client, auctionId: string) =>
  settlementOf(client, auctionId)
    .query<SettlementState>(settlementStateQuery)
    .then((state) => state.phase)
    .catch((error: unknown) => {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    });

export async function orderAs(apiUrl: string, user: User, orderId: string): Promise<OrderJson> {
  const got = await call<OrderJson>(`${apiUrl}/v1/orders/${orderId}`, { token: user.token });
  assert.equal(got.status, 200, JSON.stringify(got.body));
  return got.body;
}
