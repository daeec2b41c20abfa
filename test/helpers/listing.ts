/** GET /v1/auctions from a test: one page, every page of a traversal, and waiting for the listing to catch up. */
import assert from 'node:assert/strict';
import type { AuctionPage } from '../../api/auctions/responses.js';
import { call, type Answer, type ErrorJson } from './http.js';

export type ListingQuery = Record<string, string | number | undefined>;

export const listingUrl = (baseUrl: string, query: ListingQuery) => {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  return `${baseUrl}/v1/auctions?${params.toString()}`;
};

export const listing = (baseUrl: string, query: ListingQuery = {}): Promise<Answer<AuctionPage & ErrorJson>> =>
  call<AuctionPage & ErrorJson>(listingUrl(baseUrl, query));

/** One page that must be a 200. */
export async function page(baseUrl: string, query: ListingQuery = {}): Promise<AuctionPage> {
  const answer = await listing(baseUrl, query);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body;
}

/** The ids of a whole traversal (following nextCursor), `between` running before each next page. */
export async function traverse(
  baseUrlOf: (pageNumber: number) => string,
  query: ListingQuery,
  between: (pageNumber: number) => Promise<void> = () => Promise.resolve(),
): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let n = 1; ; n += 1) {
    const body = await page(baseUrlOf(n), { ...query, cursor });
    ids.push(...body.items.map((item) => item.id));
    if (!body.nextCursor) return ids;
    cursor = body.nextCursor;
    await between(n);
  }
}

/** Polls `check` until it holds; fails naming `what` after `timeoutMs`. Resolves with how long it took. */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 5000): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) assert.fail(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
