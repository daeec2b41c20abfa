/** The submitted "sell an auction" form as the API's CreateAuctionRequest. */
import type { Schemas } from '../api/client';
import { textField } from '../form-data';
import { categoryOf } from '../listing-options';
import { readSchedule } from '../components/schedule-fields';
import { amountField, FormProblem, optionalAmountField, wholeField } from './form-values';

type CreateAuction = Schemas['CreateAuctionRequest'];

/** A buyer's premium typed as a percent ("2.5") in basis points (250); at most 50 %. */
function premiumBps(data: FormData): number {
  const text = textField(data, 'premiumPercent').trim() || '0';
  const percent = Number(text.replace(',', '.'));
  const bps = Math.round(percent * 100);
  if (!/^\d+([.,]\d{0,2})?$/.test(text) || bps > 5000) {
    throw new FormProblem("Buyer's premium: enter a percent from 0 to 50, with at most two decimals.");
  }
  return bps;
}

export function auctionRequestOf(data: FormData): CreateAuction {
  const currency = textField(data, 'currency');
  const category = categoryOf(textField(data, 'category'));
  const softClose = data.get('softClose') === 'on';
  return {
    title: textField(data, 'title'),
    description: textField(data, 'description'),
    ...(category ? { category } : {}),
    currency,
    startingPrice: amountField(data, 'startingPrice', 'Starting price', currency),
    reservePrice: optionalAmountField(data, 'reservePrice', 'Reserve', currency),
    buyNowPrice: optionalAmountField(data, 'buyNowPrice', 'Buy-now price', currency),
    ...readSchedule(data),
    ...(softClose
      ? {
          softClose: {
            windowSeconds: wholeField(data, 'softCloseWindow', 'Late-bid window', 0, 3600),
            extendSeconds: wholeField(data, 'softCloseExtend', 'Extension', 0, 3600),
          },
        }
      : {}),
    paymentWindowSeconds: wholeField(data, 'paymentHours', 'Payment window', 1, 720) * 3600,
    buyersPremiumBps: premiumBps(data),
    autoSecondChance: data.get('autoSecondChance') === 'on',
  };
}
