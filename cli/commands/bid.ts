/**
 * `gavel bid <id> <amount>`: a bid is your maximum, in major units of the auction's currency; the house
 * bids for you up to it (proxy bidding). `--buy-now` buys at the buy-now price. Sent with an
 * Idempotency-Key, so a retry after a 503 or a lost answer is never a second bid.
 */
import { randomUUID } from 'node:crypto';
import type { Command } from '@commander-js/extra-typings';
import { call, callAs, type Schemas } from '../api/client.js';
import { withIdempotentRetries } from '../api/retry.js';
import { contextOf } from '../context.js';
import { NotSignedInError, UsageError } from '../errors.js';
import { endText, money } from '../format.js';
import { withExamples } from '../help.js';
import { checkAmountShape, parseAmount } from '../parse/amount.js';

type PlacedBid = Schemas['PlacedBid'];

function placedText(bid: PlacedBid & { currency: string; amount: number }): string {
  const price = money(bid.currentPrice, bid.currency);
  if (bid.status === 'closed') return `Bought at ${price}: the auction is closed, and yours.`;
  const lines = bid.leading
    ? [`You lead at ${price} (your maximum: ${money(bid.amount, bid.currency)}).`]
    : [`Your bid is in, but another bidder's maximum is higher: the price is now ${price}.`];
  lines.push(
    `Next bid at least ${money(bid.minimumNextBid, bid.currency)}; ${endText(bid.endsAt)}` +
      (bid.extended ? ' (extended by this bid).' : '.'),
  );
  if (!bid.reserveMet) lines.push('The reserve is not met yet.');
  return lines.join('\n');
}

export function addBidCommand(program: Command): void {
  withExamples(
    program
      .command('bid')
      .description('Bid on an auction: the amount is your maximum, in major units (25.00 is $25.00)')
      .argument('<id>', 'the auction')
      .argument('[amount]', 'your maximum; with --buy-now, the buy-now price (or leave it out)')
      .option('--buy-now', 'buy at once at the buy-now price')
      .action(async (id, amountText, options, command) => {
        const context = contextOf(command);
        if (amountText === undefined && !options.buyNow) throw new UsageError('Give the amount to bid, e.g. 25.00');
        if (amountText !== undefined) checkAmountShape(amountText, 'The bid');
        if (!context.session.stored()) {
          throw new NotSignedInError(`You are not signed in to ${context.api}: run \`gavel login\` first`);
        }
        const auction = await call(() => context.client.GET('/v1/auctions/{id}', { params: { path: { id } } }));
        let amount: number;
        if (amountText !== undefined) amount = parseAmount(amountText, auction.currency, 'The bid');
        else if (auction.buyNowPrice !== null) amount = auction.buyNowPrice;
        else throw new UsageError('This auction has no buy-now price (any more): give an amount to bid');
        const idempotencyKey = randomUUID();
        const placed = await withIdempotentRetries(() =>
          callAs(context.session, (headers) =>
            context.client.POST('/v1/auctions/{id}/bids', {
              params: { path: { id }, header: { 'Idempotency-Key': idempotencyKey } },
              headers,
              body: { amount, buyNow: options.buyNow === true },
            }),
          ),
        );
        context.output.result({ ...placed, auctionId: id, amount, currency: auction.currency }, placedText);
      }),
    [
      'gavel bid <auction-id> 25.00',
      'gavel bid <auction-id> --buy-now',
      'gavel --json bid <auction-id> 120 | jq .leading',
    ],
  );
}
