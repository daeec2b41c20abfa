/**
 * The promoter's promotions (docs/api.md, "Promotions"): each with its scope, schedule and what is left
 * of its budget, paused, resumed or deleted here; and a form to define one. The budget is typed in
 * major units and read exactly into minor units (format.ts).
 */
import { useEffect, useState } from 'preact/hooks';
import { api, call, type Schemas } from '../../api/client';
import { textField } from '../../form-data';
import { minorUnitsOf, money } from '../../format';
import { useAction } from '../../use-action';
import { ErrorNote } from '../error-note';

type Promotion = Schemas['Promotion'];
type Strategy = Schemas['CreatePromotionRequest']['strategy'];

const scopeText = ({ scope }: Promotion) =>
  scope.auctionId !== null
    ? `auction ${scope.auctionId}`
    : scope.category !== null
      ? `${scope.category} auctions`
      : 'every live auction';

export function PromotionsPanel() {
  const [promotions, setPromotions] = useState<Promotion[] | null>(null);
  const [version, setVersion] = useState(0);
  const load = useAction();
  const create = useAction();
  const change = useAction();

  useEffect(() => {
    void load.run(async () => setPromotions((await call(() => api.GET('/v1/admin/promotions'))).items));
  }, [version]);

  const setStatus = (id: string, status: 'active' | 'paused') =>
    change.run(async () => {
      await call(() => api.PATCH('/v1/admin/promotions/{id}', { params: { path: { id } }, body: { status } }));
      setVersion((v) => v + 1);
    });
  const remove = (id: string) =>
    change.run(async () => {
      await call(() => api.DELETE('/v1/admin/promotions/{id}', { params: { path: { id }, query: {} } }));
      setVersion((v) => v + 1);
    });

  return (
    <section aria-labelledby="promotions-title">
      <h2 id="promotions-title">Promotions</h2>
      <p class="muted">
        On a schedule, the house doubles a random bidder's maximum at its own expense, within the budget. Every doubling
        is shown to everyone watching and kept in the audit log.
      </p>
      <ErrorNote error={load.error ?? change.error} />
      {promotions !== null && promotions.length === 0 && <p class="muted">No promotions.</p>}
      {promotions !== null && promotions.length > 0 && (
        <div class="table-scroll">
          <table class="stack" data-testid="promotions">
            <thead>
              <tr>
                <th scope="col">Scope</th>
                <th scope="col">Every</th>
                <th scope="col">Strategy</th>
                <th scope="col">Budget left</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {promotions.map((p) => (
                <tr key={p.id}>
                  <td data-label="Scope">{scopeText(p)}</td>
                  <td data-label="Every">{p.every}</td>
                  <td data-label="Strategy">{p.strategy}</td>
                  <td data-label="Budget left">
                    {money(p.remaining, p.currency)} of {money(p.budget, p.currency)}
                  </td>
                  <td data-label="Status">{p.status}</td>
                  <td data-label="Actions">
                    <button
                      type="button"
                      class="secondary"
                      disabled={change.busy}
                      onClick={() => setStatus(p.id, p.status === 'active' ? 'paused' : 'active')}
                    >
                      {p.status === 'active' ? 'Pause' : 'Resume'}
                    </button>{' '}
                    <button type="button" class="danger" disabled={change.busy} onClick={() => remove(p.id)}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form
        aria-label="New promotion"
        onSubmit={async (event) => {
          event.preventDefault();
          const form = event.currentTarget;
          const data = new FormData(form);
          const currency = textField(data, 'currency').trim().toUpperCase() || 'USD';
          const [category, auctionId] = [textField(data, 'category'), textField(data, 'auctionId').trim()];
          const done = await create.run(async () => {
            const budget = minorUnitsOf(textField(data, 'budget'), currency);
            if (budget === null || budget <= 0) throw new Error(`The budget is not an amount in ${currency}.`);
            const body = {
              every: textField(data, 'every').trim(),
              jitter: textField(data, 'jitter').trim() || 'PT0S',
              budget,
              currency,
              strategy: textField(data, 'strategy') as Strategy,
              maxPerAuction: Number(textField(data, 'maxPerAuction') || '1'),
              scope: {
                ...(category ? { category: category as NonNullable<Promotion['scope']['category']> } : {}),
                ...(auctionId ? { auctionId } : {}),
              },
            };
            await call(() => api.POST('/v1/admin/promotions', { body }));
            setVersion((v) => v + 1);
          });
          if (done) form.reset();
        }}
      >
        <fieldset>
          <legend>New promotion</legend>
          <label>
            Every (ISO-8601, e.g. PT1H)
            <input name="every" required placeholder="PT1H" />
          </label>
          <label>
            Up to this much late (e.g. PT10M)
            <input name="jitter" placeholder="PT0S" />
          </label>
          <label>
            Budget
            <input name="budget" required inputMode="decimal" placeholder="500.00" />
          </label>
          <label>
            Currency
            <input name="currency" placeholder="USD" maxLength={3} />
          </label>
          <label>
            Category (optional)
            <input name="category" placeholder="art" />
          </label>
          <label>
            Auction id (optional)
            <input name="auctionId" autoComplete="off" />
          </label>
          <label>
            Doublings per auction
            <input name="maxPerAuction" type="number" min={1} max={100} defaultValue="1" />
          </label>
          <label>
            Whom it picks
            <select name="strategy" defaultValue="uniform">
              <option value="uniform">Any bidder alike</option>
              <option value="newer_bidders">Newer bidders more likely</option>
            </select>
          </label>
        </fieldset>
        <button type="submit" disabled={create.busy}>
          Create the promotion
        </button>
        <ErrorNote error={create.error} />
      </form>
    </section>
  );
}
