/**
 * What the settlement scenarios share: their outcome, what each needs open (Postgres, Temporal, Stripe's
 * deliveries), and how a sale and its people's plans are written.
 */
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import type { OfferPlan, OrderPlan, Plan, Sale, SaleSpec } from './sales.js';
import type { SettlementVerdict } from './settlement-invariants.js';
import { awaitSettlement, type Settled } from './settlement-workflows.js';
import type { FaultStack } from './stack.js';
import { StripeDeliverer, type Delivery } from './stripe-deliverer.js';

export interface SettlementOutcome extends SettlementVerdict {
  scenario: string;
  sales: number;
  /** What the fault caught mid-step, by step. */
  inFlight: Record<string, number>;
  /** What had to run again: activities (by type) after the worker's death, or webhook copies resent. */
  ranAgain: Record<string, number>;
  /** Every answer the webhook gave Stripe, by status (`network` for a refused or reset connection). */
  webhookAnswers: Record<string, number>;
  /** Every answer the buyers and bidders got to their checkouts, accepts and declines, by status. */
  peopleAnswers: Record<string, number>;
  /** From the fault striking to the last settlement's end. */
  faultToSettledMs: number;
}

export interface SettlementScenario {
  name: string;
  run: (stack: FaultStack) => Promise<SettlementOutcome>;
  /** Activities the fault must have caught, so they ran again (an empty list when none is aimed at). */
  mustRunAgain: string[];
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const plan = (order: OrderPlan, offer: OfferPlan): Plan => ({ order, offer });
/** How long, from the fault, every settlement has to end (a killed activity alone waits out its 30 s timeout). */
export const SETTLE_WITHIN_MS = 150_000;

/** What every scenario needs: Postgres, Temporal, Stripe's deliveries; closed by close(). */
export async function open(stack: FaultStack) {
  const pool = new pg.Pool({ connectionString: stack.env.DATABASE_URL, max: 4 });
  const connection = await Connection.connect({ address: stack.env.TEMPORAL_ADDRESS });
  const client = new Client({ connection });
  const deliverer = new StripeDeliverer(() => stack.apiUrl, stack.env.STRIPE_WEBHOOK_SECRET!);
  return {
    pool,
    client,
    deliverer,
    settle: async (sales: readonly Sale[], deadline: number) =>
      new Map<string, Settled>(
        await Promise.all(
          sales.map(async (s) => [s.auctionId, await awaitSettlement(client, s.auctionId, deadline)] as const),
        ),
      ),
    close: async () => {
      await connection.close();
      await pool.end();
    },
  };
}

export const lastEnd = (settled: ReadonlyMap<string, Settled>) =>
  Math.max(...[...settled.values()].map((s) => s.endedAtMs ?? Date.now()));

export const countAnswers = (deliveries: readonly Delivery[]) =>
  deliveries
    .flatMap((d) => d.answers)
    .reduce<Record<string, number>>((acc, a) => {
      acc[a] = (acc[a] ?? 0) + 1;
      return acc;
    }, {});

/** A sale: its label, its end from now, its payment window, its bidders' plans (lowest maximum first). */
export const sale = (label: string, endsInMs: number, paymentWindowSeconds: number, ...plans: Plan[]): SaleSpec => ({
  label,
  endsInMs,
  paymentWindowSeconds,
  plans,
});
