/**
 * A bid war through the real HTTP API, the persisted history read back, and the result the
 * order-independent formula (docs/architecture.md, "Proxy bidding") says the war must end with: shared by the tests that check an auction
 * closes correctly whatever happens to the processes around it.
 */
import assert from 'node:assert/strict';
import { expectedResult as formulaResult, type AcceptedBid } from './expected-result.js';

export { publicResult, withoutAlias, withoutOrder } from './expected-result.js';
import { call, type BidJson } from './http.js';

export interface Bidder {
  id: string;
  token: string;
  /** The API this bidder talks to (several API processes may serve one auction). */
  url: string;
}

export interface AcknowledgedBid {
  seq: number;
  bidderId: string;
  max: number;
}

export interface BidWarOptions {
  auctionId: string;
  bidders: Bidder[];
  startingPrice: number;
  /** Checked before each bid; the war also ends for a bidder once the auction refuses as not open. */
  keepGoing: () => boolean;
  /** Every 201 is appended here as it arrives, so a test (and keepGoing) can follow the war. */
  acknowledged: AcknowledgedBid[];
  /** Each bidder's pause between bids; 5-25 ms (a war) unless set, for a slower pace that can last. */
  pauseMs?: number;
}

/** Each bidder bids a random maximum above the latest minimum anyone was told, until told to stop. */
export async function bidWar(options: BidWarOptions): Promise<void> {
  const { acknowledged } = options;
  // Bidders follow the live price, as they would on SSE.
  let minimum = options.startingPrice;
  await Promise.all(
    options.bidders.map(async (bidder) => {
      while (options.keepGoing()) {
        // A wide spread of maxima: most bids clear the minimum even when others moved the price meanwhile.
        const max = minimum + Math.floor(Math.random() * 3000);
        const answer = await call<BidJson & { error?: { code: string; minimumNextBid: number } }>(
          `${bidder.url}/v1/auctions/${options.auctionId}/bids`,
          { token: bidder.token, body: { amount: max } },
        );
        if (answer.status === 201) {
          acknowledged.push({ seq: answer.body.seq, bidderId: bidder.id, max });
          minimum = Math.max(minimum, answer.body.minimumNextBid);
        } else {
          assert.equal(answer.status, 409, JSON.stringify(answer.body));
          if (answer.body.error?.code === 'AUCTION_NOT_OPEN') return;
          assert.equal(answer.body.error?.code, 'BID_TOO_LOW');
          minimum = Math.max(minimum, answer.body.error.minimumNextBid);
        }
        await new Promise((resolve) => setTimeout(resolve, options.pauseMs ?? 5 + Math.random() * 20));
      }
    }),
  );
}

export interface HistoryBid {
  seq: number;
  bidderId: string;
  placedAt: string;
  kind: string;
}

/**
 * The auction's whole persisted bid history (Postgres), through the API's pages, as its seller reads it
 * (`sellerToken`): bidder ids show to the seller only (anyone else gets aliases).
 */
export async function bidHistory(url: string, auctionId: string, sellerToken: string): Promise<HistoryBid[]> {
  const history: HistoryBid[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: { items: HistoryBid[]; nextCursor: string | null } } = await call(
      `${url}/v1/auctions/${auctionId}/bids?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      { token: sellerToken },
    );
    assert.equal(page.status, 200);
    history.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return history;
}

/** Every 201's seq is in the history once, for the bidder who got it; the history has no gaps and nothing else. */
export function assertHistoryHoldsEveryAcknowledgedBid(history: HistoryBid[], acknowledged: AcknowledgedBid[]): void {
  assert.deepEqual(
    history.map((bid) => bid.seq),
    Array.from({ length: acknowledged.length }, (_, i) => i + 1),
  );
  for (const bid of acknowledged) assert.equal(history[bid.seq - 1]?.bidderId, bid.bidderId);
}

/** The formula's result (helpers/expected-result.ts) over the acknowledged maxima, with the history's bid kinds. */
export function expectedResult(
  acknowledged: AcknowledgedBid[],
  history: HistoryBid[],
  rules: { startingPrice: number; reservePrice: number | null },
) {
  const kindOf = new Map(history.map((bid) => [bid.seq, bid.kind as AcceptedBid['kind']]));
  return formulaResult(
    acknowledged.map((bid) => ({ ...bid, kind: kindOf.get(bid.seq) ?? 'bid' })),
    rules,
  );
}
