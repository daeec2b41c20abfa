/** What every listing has: title, description, category and currency (auctions and flash sales alike). */
import { CATEGORIES, CURRENCIES, categoryLabel } from '../listing-options';

interface Props {
  currency: string;
  onCurrency: (currency: string) => void;
}

export function ListingBasicsFields({ currency, onCurrency }: Props) {
  return (
    <>
      <label>
        Title
        <input name="title" required maxLength={200} />
      </label>
      <label>
        Description
        <textarea name="description" rows={5} maxLength={5000} />
      </label>
      <div class="field-row">
        <label>
          Category
          <select name="category" defaultValue="">
            <option value="">None</option>
            {CATEGORIES.map((c) => (
              <option value={c}>{categoryLabel(c)}</option>
            ))}
          </select>
        </label>
        <label>
          Currency
          <select name="currency" value={currency} onChange={(e) => onCurrency(e.currentTarget.value)}>
            {CURRENCIES.map((c) => (
              <option value={c}>{c}</option>
            ))}
          </select>
        </label>
      </div>
    </>
  );
}
