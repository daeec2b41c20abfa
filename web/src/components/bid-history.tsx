/**
 * The bids so far, newest first, each bidder by alias ("Bidder 7"; "You" for the viewer's own), and bids
 * taken back struck through. The API lists the persisted history oldest first, a page at a time;
 * whenever the stream reports a newer bid (`seq`), the component reads on from where it stopped. A bid
 * reaches Postgres a moment after its event, so a read that comes back short of `seq` is tried again.
 * A retraction marks bids already shown: after one (`retractions` counts them), the history is read
 * again from the start, until the marks have arrived.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, call, type Schemas } from '../api/client';
import { money, when } from '../format';

const KIND = { bid: 'Bid', raise: 'Raised maximum', buy_now: 'Bought now' } as const;
const SHOWN = 20;
const SETTLE_MS = 800;
const RETRIES = 4;

interface Known {
  bids: Schemas['Bid'][];
  /** The cursor of the last page read: reading on starts there again (the API's cursors are opaque). */
  resume: string | undefined;
}

const NOTHING: Known = { bids: [], resume: undefined };

async function readOn(auctionId: string, known: Known): Promise<Known> {
  const bids = [...known.bids];
  const seen = new Set(bids.map((bid) => bid.seq));
  let resume = known.resume;
  for (;;) {
    const page = await call(() =>
      api.GET('/v1/auctions/{id}/bids', { params: { path: { id: auctionId }, query: { limit: 100, cursor: resume } } }),
    );
    for (const bid of page.items) if (!seen.has(bid.seq)) bids.push(bid);
    if (page.nextCursor === null) return { bids, resume };
    resume = page.nextCursor;
  }
}

const retractedIn = (known: Known) => known.bids.filter((bid) => bid.retracted).length;

interface Props {
  auctionId: string;
  currency: string;
  seq: number;
  /** Retractions seen live on this page: each one marks bids already shown. */
  retractions: number;
  /** The viewer's own alias on the auction, to show their bids as "You". */
  viewerAlias: string | null;
}

export function BidHistory({ auctionId, currency, seq, retractions, viewerAlias }: Props) {
  const [known, setKnown] = useState<Known>(NOTHING);

  useEffect(() => setKnown(NOTHING), [auctionId]);
  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout>;
    const attempt = (left: number, delayMs: number) => {
      timer = setTimeout(() => {
        readOn(auctionId, known).then(
          (next) => {
            if (cancelled) return;
            setKnown(next);
            const newest = next.bids[next.bids.length - 1]?.seq ?? 0;
            if (newest < seq && left > 0) attempt(left - 1, SETTLE_MS);
          },
          () => undefined,
        );
      }, delayMs);
    };
    const newest = known.bids[known.bids.length - 1]?.seq ?? 0;
    // The first read goes at once; a read for a bid just announced waits for it to be persisted.
    if (known.bids.length === 0 && known.resume === undefined) attempt(RETRIES, 0);
    else if (seq > newest) attempt(RETRIES, SETTLE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [auctionId, seq]);

  useEffect(() => {
    if (retractions === 0) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout>;
    const marked = retractedIn(known);
    const attempt = (left: number) => {
      timer = setTimeout(() => {
        readOn(auctionId, NOTHING).then(
          (next) => {
            if (cancelled) return;
            setKnown(next);
            if (retractedIn(next) <= marked && left > 0) attempt(left - 1);
          },
          () => undefined,
        );
      }, SETTLE_MS);
    };
    attempt(RETRIES);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [auctionId, retractions]);

  const shown = known.bids.slice(-SHOWN).reverse();
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">Bid history</h2>
      {shown.length === 0 ? (
        <p class="muted">No bids yet.</p>
      ) : (
        <table data-testid="bid-history">
          <caption class="muted">
            {known.bids.length > SHOWN ? `The latest ${SHOWN} of ${known.bids.length} bids` : 'Every bid, newest first'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Bidder</th>
              <th scope="col">Price</th>
              <th scope="col">What</th>
              <th scope="col">When</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((bid) => (
              <tr key={bid.seq} class={bid.retracted ? 'retracted' : undefined}>
                <td>
                  {viewerAlias !== null && bid.bidderAlias === viewerAlias ? 'You' : (bid.bidderAlias ?? 'A bidder')}
                </td>
                <td>{money(bid.amount, currency)}</td>
                <td>{bid.retracted ? `${KIND[bid.kind]}, retracted` : KIND[bid.kind]}</td>
                <td>{when(bid.placedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
