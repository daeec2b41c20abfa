/** Sell a flash sale: a fixed price, a stock and a per-person limit; then the new sale's page. */
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, call } from '../api/client';
import { ErrorNote } from '../components/error-note';
import { ListingBasicsFields } from '../components/listing-basics-fields';
import { SignInFirst } from '../components/sign-in-first';
import { saleRequestOf } from '../sell/sale-request';
import { me } from '../session';
import { useAction } from '../use-action';

export function SellSale() {
  const { route } = useLocation();
  const [currency, setCurrency] = useState('EUR');
  const { busy, error, run } = useAction();
  if (!me.value) return <SignInFirst />;

  const submit = (form: HTMLFormElement) =>
    run(async () => {
      const body = saleRequestOf(new FormData(form));
      const sale = await call(() => api.POST('/v1/sales', { body }));
      route(`/sales/${sale.id}`);
    });

  return (
    <section class="sell-form" aria-labelledby="sell-sale-title">
      <h1 id="sell-sale-title">Sell a flash sale</h1>
      <p>
        One item to the highest bidder? <a href="/sell">Sell at auction instead</a>.
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit(event.currentTarget);
        }}
      >
        <ListingBasicsFields currency={currency} onCurrency={setCurrency} />
        <div class="field-row">
          <label>
            Price per unit ({currency})
            <input name="price" inputMode="decimal" required autoComplete="off" />
          </label>
          <label>
            Units in stock
            <input type="number" name="stock" min={1} step={1} required />
          </label>
          <label>
            Most units per person
            <input type="number" name="perUserLimit" min={1} step={1} defaultValue="1" required />
          </label>
        </div>
        <div class="field-row">
          <label>
            Starts (empty: now)
            <input type="datetime-local" name="startsAt" />
          </label>
          <label>
            Ends (empty: until sold out)
            <input type="datetime-local" name="endsAt" />
          </label>
        </div>
        <label>
          Hold claimed units for payment (minutes)
          <input type="number" name="holdMinutes" min={1} max={1440} step={1} defaultValue="10" required />
        </label>
        <label class="choice">
          <input type="checkbox" name="requireChallenge" />
          Ask buyers to pass a bot check (a short proof-of-work in their browser) before each claim
        </label>
        <ErrorNote error={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create the sale'}
        </button>
      </form>
    </section>
  );
}
