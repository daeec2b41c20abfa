/** What the seller's paid lots owe them: hammer price less the house's fee, newest first. */
import { api, call } from '../api/client';
import { money, when } from '../format';
import { usePaged } from '../paged';
import { ShowMore } from './show-more';

const STATUS = { pending: 'Pending', cancelled: 'Cancelled (refunded)' } as const;

export function PayoutsTable() {
  const list = usePaged(
    (cursor) => call(() => api.GET('/v1/users/me/payouts', { params: { query: cursor ? { cursor } : {} } })),
    'my-payouts',
  );
  return (
    <section aria-labelledby="payouts-title">
      <h2 id="payouts-title">Payouts</h2>
      {list.items?.length === 0 && <p class="muted">No payouts yet.</p>}
      {list.items !== null && list.items.length > 0 && (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Lot</th>
                <th scope="col">Hammer price</th>
                <th scope="col">Fee</th>
                <th scope="col">Owed to you</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((payout) => (
                <tr key={payout.orderId}>
                  <td>{when(payout.createdAt)}</td>
                  <td>
                    {payout.auctionId ? (
                      <a href={`/auctions/${payout.auctionId}`}>Auction</a>
                    ) : payout.saleId ? (
                      <a href={`/sales/${payout.saleId}`}>Flash sale</a>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>{money(payout.hammerPrice, payout.currency)}</td>
                  <td>{money(payout.sellerFee, payout.currency)}</td>
                  <td>{money(payout.amount, payout.currency)}</td>
                  <td>{STATUS[payout.status]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ShowMore list={list} what="payouts" />
    </section>
  );
}
