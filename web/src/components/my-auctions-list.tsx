/** The seller's auctions, newest first, every status, page by page, with what each allows. */
import { useEffect, useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { usePaged } from '../paged';
import { MyAuctionItem, type OrderStatus } from './my-auction-item';
import { ShowMore } from './show-more';

/** The statuses of the orders for the seller's lots, by auction: what settlement has reached. */
function useOrdersByAuction(): Map<string, OrderStatus[]> {
  const [orders, setOrders] = useState(new Map<string, OrderStatus[]>());
  useEffect(() => {
    call(() => api.GET('/v1/users/me/orders', { params: { query: { role: 'seller', limit: 100 } } })).then(
      (page) => {
        const byAuction = new Map<string, OrderStatus[]>();
        for (const order of page.items) {
          if (order.auctionId === null) continue;
          byAuction.set(order.auctionId, [...(byAuction.get(order.auctionId) ?? []), order.status]);
        }
        setOrders(byAuction);
      },
      () => undefined, // without them the list still shows; only the settlement actions wait
    );
  }, []);
  return orders;
}

export function MyAuctionsList() {
  const list = usePaged(
    (cursor) => call(() => api.GET('/v1/users/me/auctions', { params: { query: cursor ? { cursor } : {} } })),
    'my-auctions',
  );
  const orders = useOrdersByAuction();
  return (
    <section aria-labelledby="my-auctions-title">
      <h2 id="my-auctions-title">Auctions</h2>
      <ul class="cards" aria-busy={list.loading}>
        {(list.items ?? []).map((auction) => (
          <MyAuctionItem
            key={auction.id}
            auction={auction}
            orders={orders.get(auction.id) ?? []}
            onChange={(changed) => list.setItems((items) => items.map((a) => (a.id === changed.id ? changed : a)))}
            onRelisted={(created) => list.setItems((items) => [created, ...items])}
          />
        ))}
      </ul>
      {list.items?.length === 0 && <p class="muted">No auctions yet.</p>}
      <ShowMore list={list} what="auctions" />
    </section>
  );
}
