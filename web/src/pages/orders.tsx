/** The signed-in person's orders as a buyer: what each is for, what they pay, status and deadline, and "Pay now". */
import { api, call, type Schemas } from '../api/client';
import { ItemLink } from '../components/item-link';
import { PayButton } from '../components/pay-button';
import { ShowMore } from '../components/show-more';
import { SignInFirst } from '../components/sign-in-first';
import { money, when } from '../format';
import { ORDER_KIND, ORDER_STATUS, orderTone } from '../order-words';
import { usePaged } from '../paged';
import { me } from '../session';

export function Orders() {
  const user = me.value;
  const list = usePaged(
    (cursor) => call(() => api.GET('/v1/users/me/orders', { params: { query: { cursor, limit: 20 } } })),
    user?.id ?? null,
  );
  if (!user) return <SignInFirst />;
  return (
    <section aria-labelledby="orders-title">
      <h1 id="orders-title">Orders</h1>
      {list.items === null ? (
        list.error ? null : (
          <p aria-busy="true">Loading your orders…</p>
        )
      ) : list.items.length === 0 ? (
        <p>No orders yet: what you win or buy appears here, to be paid.</p>
      ) : (
        <OrderTable orders={list.items} />
      )}
      <ShowMore list={list} what="orders" />
    </section>
  );
}

function OrderTable({ orders }: { orders: Schemas['Order'][] }) {
  return (
    <table class="stack" data-testid="orders">
      <thead>
        <tr>
          <th scope="col">What</th>
          <th scope="col">Total</th>
          <th scope="col">Status</th>
          <th scope="col">Pay by</th>
          <th scope="col">
            <span class="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {orders.map((order) => (
          <tr key={order.id} data-testid="order">
            <td data-label="What">
              <span class="kind">{ORDER_KIND[order.kind]}</span>
              <br />
              <ItemLink auctionId={order.auctionId} saleId={order.saleId} />
              {order.quantity > 1 && <span class="muted"> × {order.quantity}</span>}
            </td>
            <td data-label="Total">{money(order.amountDue, order.currency)}</td>
            <td data-label="Status" class={orderTone(order.status)} data-testid="order-status">
              {ORDER_STATUS[order.status]}
            </td>
            <td data-label="Pay by">
              <time dateTime={order.payBy}>{when(order.payBy)}</time>
            </td>
            <td class="actions">
              {order.status === 'awaiting_payment' && <PayButton orderId={order.id} />}{' '}
              <a href={`/orders/${order.id}`}>Details</a>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
