/**
 * `gavel retract <id> --reason …`: take your bids on an auction back, on the API's rules (docs/api.md,
 * "Retracting bids"): all of them with 12 hours or more left, else only your last, placed within the
 * hour; once per auction. A refusal shows the API's message and its reason (`last_bid_too_old`, …).
 */
import { Option, type Command } from '@commander-js/extra-typings';
import { RETRACTION_REASONS } from '../../domain/retraction.js';
import { call, callAs, type Schemas } from '../api/client.js';
import { contextOf } from '../context.js';
import { NotSignedInError } from '../errors.js';
import { money } from '../format.js';
import { withExamples } from '../help.js';

function retractedText(retraction: Schemas['Retraction'] & { currency: string }): string {
  const price = money(retraction.currentPrice, retraction.currency);
  return [
    retraction.scope === 'all'
      ? 'Retracted all your bids on this auction.'
      : 'Retracted your last bid: your maximum before it counts again.',
    `The price is now ${price}; ${retraction.leaderAlias === null ? 'nobody leads' : `${retraction.leaderAlias} leads`}.`,
  ].join('\n');
}

export function addRetractCommand(program: Command): void {
  withExamples(
    program
      .command('retract')
      .description('Take your bids on an auction back (once per auction, on the rules in docs/api.md)')
      .argument('<id>', 'the auction')
      .addOption(new Option('--reason <reason>', 'why').choices(RETRACTION_REASONS).makeOptionMandatory())
      .action(async (id, options, command) => {
        const context = contextOf(command);
        if (!context.session.stored()) {
          throw new NotSignedInError(`You are not signed in to ${context.api}: run \`gavel login\` first`);
        }
        const auction = await call(() => context.client.GET('/v1/auctions/{id}', { params: { path: { id } } }));
        const retraction = await callAs(context.session, (headers) =>
          context.client.POST('/v1/auctions/{id}/retractions', {
            headers,
            params: { path: { id } },
            body: { reason: options.reason },
          }),
        );
        context.output.result({ ...retraction, auctionId: id, currency: auction.currency }, retractedText);
      }),
    ['gavel retract <auction-id> --reason wrong_amount', 'gavel --json retract <auction-id> --reason item_changed'],
  );
}
