/**
 * A bid load that behaves like careful clients: each bid has its own Idempotency-Key, and when the
 * answer is lost (connection refused or reset, a 5xx, a 429) the same request is sent again with the
 * same key until a definite answer comes back. Only a 201 counts as acknowledged.
 */
import { randomUUID } from 'node:crypto';

export interface Bidder {
  id: string;
  token: string;
}

export interface Acknowledged {
  seq: number;
  bidderId: string;
  max: number;
  key: string;
}

export interface LoadFigures {
  acknowledged: Acknowledged[];
  /** Requests sent again with the same key after a lost answer. */
  retries: number;
  /** Every answer by status (or `network` for a refused/reset connection). */
  answers: Record<string, number>;
}

interface Options {
  url: () => string;
  auctionId: string;
  bidders: Bidder[];
  startingPrice: number;
  /** No new bids after this instant; bids already sent are still retried to a definite answer. */
  stopNewBidsAt: number;
  /** Give up retrying (the test then fails on the unresolved count) after this instant. */
  giveUpAt: number;
}

type Answer = {
  status: number;
  body: { seq?: number; minimumNextBid?: number; error?: { code: string; minimumNextBid?: number } };
};

export async function runBidLoad(options: Options): Promise<LoadFigures & { unresolved: number }> {
  const figures: LoadFigures = { acknowledged: [], retries: 0, answers: {} };
  let unresolved = 0;
  let minimum = options.startingPrice;
  let closed = false;
  const count = (key: string) => (figures.answers[key] = (figures.answers[key] ?? 0) + 1);

  const send = async (bidder: Bidder, max: number, key: string): Promise<Answer | null> => {
    for (let attempt = 0; Date.now() < options.giveUpAt; attempt += 1) {
      if (attempt > 0) figures.retries += 1;
      try {
        const response = await fetch(`${options.url()}/v1/auctions/${options.auctionId}/bids`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${bidder.token}`,
            'content-type': 'application/json',
            'idempotency-key': key,
          },
          body: JSON.stringify({ amount: max }),
        });
        count(String(response.status));
        const retryAfter = Number(response.headers.get('retry-after') ?? 0);
        const answer = { status: response.status, body: (await response.json()) as Answer['body'] };
        if (response.status < 500 && response.status !== 429) return answer;
        await pause(retryAfter > 0 ? retryAfter * 1000 : 100);
      } catch {
        count('network');
        await pause(100);
      }
    }
    return null;
  };

  await Promise.all(
    options.bidders.map(async (bidder) => {
      while (!closed && Date.now() < options.stopNewBidsAt) {
        const max = minimum + 1 + Math.floor(Math.random() * 2000);
        const key = randomUUID();
        const answer = await send(bidder, max, key);
        if (answer === null) {
          unresolved += 1;
          return;
        }
        if (answer.status === 201 && typeof answer.body.seq === 'number') {
          figures.acknowledged.push({ seq: answer.body.seq, bidderId: bidder.id, max, key });
          minimum = Math.max(minimum, answer.body.minimumNextBid ?? minimum);
        } else if (answer.body.error?.code === 'AUCTION_NOT_OPEN') {
          closed = true;
        } else if (answer.body.error?.code === 'BID_TOO_LOW') {
          minimum = Math.max(minimum, answer.body.error.minimumNextBid ?? minimum);
        } else {
          throw new Error(`unexpected answer ${answer.status}: ${JSON.stringify(answer.body)}`);
        }
        await pause(20 + Math.random() * 40);
      }
    }),
  );
  return { ...figures, unresolved };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
