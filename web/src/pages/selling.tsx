/** My selling: the seller's auctions and flash sales, with what each allows now, and their payouts. */
import { MyAuctionsList } from '../components/my-auctions-list';
import { MySalesList } from '../components/my-sales-list';
import { PayoutsTable } from '../components/payouts-table';
import { SignInFirst } from '../components/sign-in-first';
import { me } from '../session';

export function Selling() {
  const user = me.value;
  if (!user) return <SignInFirst />;
  return (
    <section aria-labelledby="selling-title">
      <h1 id="selling-title">My selling</h1>
      <p>
        <a class="button" href="/sell">
          Sell at auction
        </a>{' '}
        <a class="button secondary" href="/sell/sale">
          Sell a flash sale
        </a>
      </p>
      <MyAuctionsList />
      <MySalesList sellerId={user.id} />
      <PayoutsTable />
    </section>
  );
}
