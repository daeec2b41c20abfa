import { useEffect, useState } from 'preact/hooks';
import { api, call, type Schemas } from '../api/client';
import { money, when } from '../format';
import { me } from '../session';

const KIND = { bid: 'Bid', raise: 'Raised maximum', buy_now: 'Bought now' } as const;

/** The bids so far, newest first; read again whenever the stream reports a new one (`seq`). */
export function BidHistory({ auctionId, currency, seq }: { auctionId: string; currency: string; seq: number }) {
  const [bids, setBids] = useState<Schemas['Bid'][] | null>(null);
  const user = me.value;
  useEffect(() => {
    if (!user) return;
    call(() => api.GET('/v1/auctions/{id}/bids', { params: { path: { id: auctionId }, query: { limit: 20 } } })).then(
      (page) => setBids(page.items),
      () => setBids(null),
    );
  }, [auctionId, seq, user?.id]);
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">Bid history</h2>
      {!user ? (
        <p class="muted">Sign in to see the bids.</p>
      ) : bids === null || bids.length === 0 ? (
        <p class="muted">No bids yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Bidder</th>
              <th scope="col">Price</th>
              <th scope="col">What</th>
              <th scope="col">When</th>
            </tr>
          </thead>
          <tbody>
            {bids.map((bid) => (
              <tr key={bid.seq}>
                <td>{bid.bidderId === user.id ? 'You' : `Bidder ${bid.bidderId.slice(0, 4)}`}</td>
                <td>{money(bid.amount, currency)}</td>
                <td>{KIND[bid.kind]}</td>
                <td>{when(bid.placedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
