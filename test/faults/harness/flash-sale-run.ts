/**
 * What the flash-sale scenarios share: their outcome, a crowd with tokens the API accepts, claims sent
 * as a careful client sends them (retrying an unavailable answer with the same Idempotency-Key), and
 * the sale's counts as Redis (through the API) and Postgres each keep them.
 */
import { randomUUID } from 'node:crypto';
import { openDatabase } from '../../../db/pool.js';
import { crowd } from '../../helpers/crowd.js';
import { saleOf } from '../../helpers/flash-sales.js';
import { signUp } from '../../helpers/http.js';
import type { FaultStack } from './stack.js';

export interface FlashSaleOutcome {
  scenario: string;
  claims: number;
  /** Every answer the claimants got, retries included, by status (`network` for a refused or reset connection). */
  answers: Record<string, number>;
  /** Units acknowledged with a 201 (each claim counted once, by its final answer). */
  acknowledgedUnits: number;
  /** Orders of the sale in Postgres, by status. */
  orders: Record<string, number>;
  /** available / held / sold, in Redis (the API's view) and in the `sales` row. */
  redis: string;
  row: string;
  /** Waitlist: joined / served (new holds) / told (waitlist_offer notices). */
  waitlist: string;
  /** What the fault caught mid-way (claims answered before it, activities waiting on the test's lock). */
  caught: number;
  violations: string[];
  faultToSettledMs: number;
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Postgres, a seller and a crowd of `size` people; closed by close(). */
export async function openFlashSale(stack: FaultStack, size: number) {
  const { pool, db } = openDatabase(stack.env.DATABASE_URL!, 4);
  const seller = await signUp(stack.apiUrl, 'flash-seller');
  const people = await crowd(db, stack.signingKey, size, 'flash');
  return { pool, seller, people, close: () => pool.end() };
}

export const tally = (record: Record<string, number>, key: string) => {
  record[key] = (record[key] ?? 0) + 1;
};

export interface Claim {
  userId: string;
  token: string;
  quantity: number;
  status: number;
  orderId?: string;
}

/**
 * Sends every claim, `concurrency` at a time, each with its own Idempotency-Key; an unavailable answer
 * (the app's 503, or no connection) is retried with the same key until a definite 201 or 409, or the
 * deadline (status 0). `onAnswer` sees each final answer as it comes, so a fault can strike mid-burst.
 */
export async function claimBurst(
  apiUrl: () => string,
  saleId: string,
  claims: Claim[],
  answers: Record<string, number>,
  onAnswer: (claim: Claim) => void,
  deadline: number,
  concurrency = 32,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < claims.length) {
      const claim = claims[next++]!;
      const key = randomUUID();
      while (claim.status === 0 && Date.now() < deadline) {
        const answer = await claimOnce(apiUrl(), saleId, claim, key);
        tally(answers, answer);
        if (answer === '503' || answer === 'network') await pause(100);
        else claim.status = Number.parseInt(answer, 10);
      }
      onAnswer(claim);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** One attempt: its status (`network` when the connection failed; the order id of a 201 kept on the claim). */
async function claimOnce(apiUrl: string, saleId: string, claim: Claim, key: string): Promise<string> {
  try {
    const response = await fetch(`${apiUrl}/v1/sales/${saleId}/claims`, {
      method: 'POST',
      headers: { authorization: `Bearer ${claim.token}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ quantity: claim.quantity }),
    });
    const body = (await response.json()) as { orderId?: string; error?: { code?: string } };
    // A 503 must be the app's own shape (UNAVAILABLE): anything else is not an answer the client knows.
    if (response.status === 503 && body.error?.code !== 'UNAVAILABLE') return `503 ${body.error?.code}`;
    if (response.status === 201) claim.orderId = body.orderId;
    return String(response.status);
  } catch {
    return 'network';
  }
}

export const countsOf = (c: { available: number; held: number; sold: number }) =>
  `${c.available} / ${c.held} / ${c.sold}`;

/** The sale's counts in Redis (through the API) and in its `sales` row. */
export async function saleCounts(stack: FaultStack, pool: import('pg').Pool, saleId: string) {
  const redis = await saleOf(stack.apiUrl, saleId);
  const { rows } = await pool.query<{ available: number; held: number; sold: number; stock: number }>(
    'SELECT available, held, sold, stock FROM sales WHERE id = $1',
    [saleId],
  );
  return { redis, row: rows[0]! };
}

/** Orders of the sale: id, buyer, quantity, status, in the order they were made. */
export async function saleOrders(pool: import('pg').Pool, saleId: string) {
  const { rows } = await pool.query<{ id: string; buyer_id: string; quantity: number; status: string }>(
    'SELECT id, buyer_id, quantity, status FROM orders WHERE sale_id = $1 ORDER BY created_at, id',
    [saleId],
  );
  return rows;
}

/** Polls `probe` until it answers something, or the deadline (then undefined: the caller's checks fail). */
export async function poll<T>(probe: () => Promise<T | undefined>, deadline: number): Promise<T | undefined> {
  for (;;) {
    const found = await probe().catch(() => undefined);
    if (found !== undefined || Date.now() >= deadline) return found;
    await pause(250);
  }
}
