/**
 * Many orders awaiting payment, each with its settlement workflow running, for the webhook's
 * throughput: enough first-time payments to fill a run. Closing thousands of auctions through their
 * workflows would take minutes on a small machine, so the closed auctions and their orders are written
 * in one statement; the settlements are started as a close starts them (same id, same input, same task
 * queue), so each payment finds a live workflow to signal, and that workflow then does its real work.
 */
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import type { Config } from '../config/env.js';
import type { SettlementInput } from '../domain/settlement/workflow.js';
import { settlementWorkflowId } from '../domain/temporal-names.js';
import { settlementWorkflow } from '../workflows/index.js';
import { until } from '../test/helpers/settlement.js';

export interface OrderParties {
  sellerId: string;
  buyerId: string;
}

interface OrderRow {
  id: string;
  auction_id: string;
  created_at: Date;
  pay_by: Date;
  total: string;
}

/** Workflow starts in flight at once: the server and the worker share two cores with everything else. */
const STARTS_IN_FLIGHT = 16;

export async function openOrders(
  deps: { pool: pg.Pool; temporal: Client; config: Config },
  parties: OrderParties,
  count: number,
): Promise<{ id: string; total: number; currency: string; auctionId: string }[]> {
  const { rows } = await deps.pool.query<OrderRow>(
    `WITH lots AS (
       INSERT INTO auctions (seller_id, title, starting_price, starts_at, ends_at, status, outcome, winner_id,
                             final_price, bid_count, closed_at)
       SELECT $1, 'Bench lot ' || g, 1000, now() - interval '1 hour', now() - interval '1 minute', 'closed', 'sold',
              $2, 5000, 2, now()
       FROM generate_series(1, $3::int) g
       RETURNING id)
     INSERT INTO orders (auction_id, kind, buyer_id, seller_id, hammer_price, buyers_premium, total, currency, pay_by)
     SELECT id, 'auction', $2, $1, 5000, 0, 5000, 'USD', now() + interval '3 days' FROM lots
     RETURNING id, auction_id, created_at, pay_by, total`,
    [parties.sellerId, parties.buyerId, count],
  );
  const queue = [...rows];
  await Promise.all(
    Array.from({ length: STARTS_IN_FLIGHT }, async () => {
      for (let row = queue.pop(); row; row = queue.pop()) {
        const input: SettlementInput = {
          auctionId: row.auction_id,
          sellerId: parties.sellerId,
          order: {
            id: row.id,
            buyerId: parties.buyerId,
            createdAt: row.created_at.toISOString(),
            payBy: row.pay_by.toISOString(),
          },
          autoSecondChance: false,
          offerWindowSeconds: deps.config.SECOND_CHANCE_OFFER_WINDOW_SECONDS,
          sellerDecisionSeconds: deps.config.SECOND_CHANCE_DECISION_SECONDS,
        };
        await deps.temporal.workflow.start(settlementWorkflow, {
          workflowId: settlementWorkflowId(row.auction_id),
          taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
          args: [input],
        });
      }
    }),
  );
  // Each settlement has told its buyer to pay: the worker is idle again before anything is measured.
  await untilCount(deps.pool, parties.buyerId, 'payment_due', rows.length);
  return rows.map((row) => ({ id: row.id, auctionId: row.auction_id, total: Number(row.total), currency: 'USD' }));
}

/** Waits until `userId` has at least `count` notifications of `type`: the worker has caught up. */
export const untilCount = (pool: pg.Pool, userId: string, type: string, count: number) =>
  until(
    `${count} ${type}`,
    async () => {
      const { rows } = await pool.query<{ n: string }>(
        'SELECT count(*) AS n FROM notifications WHERE user_id = $1 AND type = $2',
        [userId, type],
      );
      return Number(rows[0]!.n) >= count ? true : undefined;
    },
    600_000,
  );
