/**
 * The seller's flash sales. There is no "my sales" route: the listing's sellerId filter finds them,
 * every status, for as long as the listing keeps ended ones (30 days).
 */
import { api, call, type Schemas } from '../api/client';
import { money } from '../format';
import { usePaged } from '../paged';
import { CancelForm } from './cancel-form';
import { SALE_STATUS } from '../sale-words';
import { ShowMore } from './show-more';

type ListedSale = Schemas['ListedSale'];

export function MySalesList({ sellerId }: { sellerId: string }) {
  const list = usePaged(async (cursor) => {
    const query = { kind: 'sale' as const, sellerId, ...(cursor ? { cursor } : {}) };
    const page = await call(() => api.GET('/v1/auctions', { params: { query } }));
    return {
      items: page.items.filter((item): item is ListedSale => item.kind === 'sale'),
      nextCursor: page.nextCursor,
    };
  }, `my-sales:${sellerId}`);
  const cancelled = (sale: Schemas['Sale']) =>
    list.setItems((items) => items.map((item) => (item.id === sale.id ? { ...item, status: sale.status } : item)));
  return (
    <section aria-labelledby="my-sales-title">
      <h2 id="my-sales-title">Flash sales</h2>
      <ul class="cards" aria-busy={list.loading}>
        {(list.items ?? []).map((sale) => (
          <li class="card" key={sale.id} data-testid="my-sale">
            <h3>
              <a href={`/sales/${sale.id}`}>{sale.title}</a>
            </h3>
            <p data-testid="status">{SALE_STATUS[sale.status]}</p>
            <p>
              <span class="price">{money(sale.price, sale.currency)}</span>
              <span class="muted">
                {' '}
                · {sale.available} of {sale.stock} left
              </span>
            </p>
            {(sale.status === 'scheduled' || sale.status === 'open') && (
              <div class="actions">
                <CancelForm
                  title={sale.title}
                  onCancel={async (reason) =>
                    cancelled(
                      await call(() =>
                        api.POST('/v1/sales/{id}/cancel', { params: { path: { id: sale.id } }, body: { reason } }),
                      ),
                    )
                  }
                />
              </div>
            )}
          </li>
        ))}
      </ul>
      {list.items?.length === 0 && <p class="muted">No flash sales yet.</p>}
      <ShowMore list={list} what="flash sales" />
    </section>
  );
}
