/** Flash sales through the real API: a sale made by its seller, and claims sent as a crowd sends them. */
import { randomUUID } from 'node:crypto';
import { call } from './http.js';

export interface SaleJson {
  id: string;
  sellerId: string;
  price: number;
  currency: string;
  stock: number;
  available: number;
  held: number;
  sold: number;
  perUserLimit: number;
  holdSeconds: number;
  status: string;
  startsAt: string;
  endsAt: string | null;
}

export interface ClaimJson {
  orderId: string;
  quantity: number;
  total: number;
  holdExpiresAt: string;
}

export async function createSale(apiUrl: string, token: string, body: Record<string, unknown>): Promise<SaleJson> {
  const created = await call<SaleJson>(`${apiUrl}/v1/sales`, {
    token,
    body: { title: 'Sneakers, size 42', price: 12_000, stock: 10, ...body },
  });
  if (created.status !== 201) throw new Error(`sale not created: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body;
}

export async function saleOf(apiUrl: string, saleId: string): Promise<SaleJson> {
  return (await call<SaleJson>(`${apiUrl}/v1/sales/${saleId}`)).body;
}

export interface ClaimRequest {
  userId: string;
  token: string;
  quantity: number;
}

export interface ClaimAnswer extends ClaimRequest {
  status: number;
  body: Record<string, unknown>;
}

/**
 * Sends every claim, `concurrency` at a time, each with its own Idempotency-Key, and retries a claim
 * that got no definite answer (a refused connection, a 503) with the same key: what a careful client
 * does, until `giveUpAfterMs`. Answers in the order of `requests`.
 */
export async function claimAll(
  apiUrl: string,
  saleId: string,
  requests: readonly ClaimRequest[],
  concurrency = 64,
  giveUpAfterMs = 120_000,
): Promise<ClaimAnswer[]> {
  const deadline = Date.now() + giveUpAfterMs;
  const answers = new Array<ClaimAnswer>(requests.length);
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      const r = requests[i]!;
      const key = randomUUID();
      for (;;) {
        try {
          const response = await fetch(`${apiUrl}/v1/sales/${saleId}/claims`, {
            method: 'POST',
            headers: { authorization: `Bearer ${r.token}`, 'content-type': 'application/json', 'idempotency-key': key },
            body: JSON.stringify({ quantity: r.quantity }),
          });
          const body = (await response.json()) as Record<string, unknown>;
          if (response.status === 503) throw new Error('unavailable');
          answers[i] = { ...r, status: response.status, body };
          break;
        } catch {
          // Status 0: no definite answer before the deadline, which the caller's checks count as a failure.
          if (Date.now() > deadline) {
            answers[i] = { ...r, status: 0, body: {} };
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return answers;
}
