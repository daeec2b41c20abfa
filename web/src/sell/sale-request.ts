/** The submitted "sell a flash sale" form as the API's CreateSaleRequest. */
import type { Schemas } from '../api/client';
import { textField } from '../form-data';
import { categoryOf } from '../listing-options';
import { amountField, instantField, wholeField } from './form-values';

export function saleRequestOf(data: FormData): Schemas['CreateSaleRequest'] {
  const currency = textField(data, 'currency');
  const category = categoryOf(textField(data, 'category'));
  const startsAt = instantField(data, 'startsAt', 'Starts');
  const endsAt = instantField(data, 'endsAt', 'Ends');
  return {
    title: textField(data, 'title'),
    description: textField(data, 'description'),
    ...(category ? { category } : {}),
    currency,
    price: amountField(data, 'price', 'Price', currency),
    stock: wholeField(data, 'stock', 'Stock', 1, 1_000_000),
    perUserLimit: wholeField(data, 'perUserLimit', 'Per person', 1, 1_000_000),
    ...(startsAt ? { startsAt } : {}),
    ...(endsAt ? { endsAt } : {}),
    holdSeconds: wholeField(data, 'holdMinutes', 'Hold', 1, 1440) * 60,
    requireChallenge: data.get('requireChallenge') === 'on',
  };
}
