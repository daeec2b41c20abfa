/**
 * `gavel sales create|claim`: flash sales, limited stock at a fixed price. A claim holds units for the
 * sale's hold time and makes an order to pay; a sale that asks for proof of work gets it solved first
 * (sale-challenge.ts). Claims carry an Idempotency-Key, as bids do.
 */
import { randomUUID } from 'node:crypto';
import { Option, type Command } from '@commander-js/extra-typings';
import { AUCTION_CATEGORIES } from '../../domain/categories.js';
import { call, callAs, type Schemas } from '../api/client.js';
import { withIdempotentRetries } from '../api/retry.js';
import { contextOf, type Context } from '../context.js';
import { NotSignedInError, UsageError } from '../errors.js';
import { endText, money, plain, when } from '../format.js';
import { withExamples } from '../help.js';
import { parseAmount, parseCurrency } from '../parse/amount.js';
import { parseDuration } from '../parse/duration.js';
import { solvedChallengeFor } from '../sale-challenge.js';

function wholeNumber(text: string, option: string, min = 1): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`${option} must be a whole number, at least ${min} (got "${text}")`);
  }
  return value;
}

interface CreateOptions {
  title: string;
  price: string;
  stock: string;
  perUserLimit?: string;
  hold?: string;
  startsIn?: string;
  endsIn?: string;
  description?: string;
  category?: Schemas['CreateSaleRequest']['category'];
  currency: string;
  requireChallenge?: boolean;
}

function createRequest(options: CreateOptions, now = Date.now()): Schemas['CreateSaleRequest'] {
  const currency = parseCurrency(options.currency);
  const startsIn = options.startsIn === undefined ? undefined : parseDuration(options.startsIn, '--starts-in');
  const endsIn = options.endsIn === undefined ? undefined : parseDuration(options.endsIn, '--ends-in');
  if (startsIn !== undefined && endsIn !== undefined && startsIn >= endsIn) {
    throw new UsageError('--ends-in is counted from now, and must be later than --starts-in');
  }
  if (!options.title.trim()) throw new UsageError('--title must not be empty');
  return {
    title: options.title,
    description: options.description ?? '',
    currency,
    price: parseAmount(options.price, currency, '--price'),
    stock: wholeNumber(options.stock, '--stock'),
    ...(options.perUserLimit === undefined
      ? {}
      : { perUserLimit: wholeNumber(options.perUserLimit, '--per-user-limit') }),
    ...(options.hold === undefined ? {} : { holdSeconds: parseDuration(options.hold, '--hold') }),
    ...(options.category === undefined ? {} : { category: options.category }),
    ...(startsIn === undefined ? {} : { startsAt: new Date(now + startsIn * 1000).toISOString() }),
    ...(endsIn === undefined ? {} : { endsAt: new Date(now + endsIn * 1000).toISOString() }),
    requireChallenge: options.requireChallenge === true,
    // The generated type lists the fields the API gives defaults to as required; those left out here
    // get the deployment's defaults (its payment window, premium, hold…), which the command line cannot know.
  } as Schemas['CreateSaleRequest'];
}

const saleText = (sale: Schemas['Sale']) =>
  [
    `Created flash sale ${sale.id}: ${plain(sale.title)}`,
    `${sale.stock} at ${money(sale.price, sale.currency)}, at most ${sale.perUserLimit} each, held ${sale.holdSeconds}s per claim; ` +
      `${sale.status}, ${sale.endsAt === null ? 'until sold out' : endText(sale.endsAt)}.` +
      (sale.requireChallenge ? ' Claims solve a proof-of-work challenge.' : ''),
    `Claim: gavel sales claim ${sale.id}`,
  ].join('\n');

const claimText = (claim: Schemas['SaleClaim']) =>
  [
    `Claimed ${claim.quantity} for ${money(claim.total, claim.currency)}: held for you until ${when(claim.holdExpiresAt)}.`,
    `Pay for order ${claim.orderId} before then, or the units go to the next in line.`,
  ].join('\n');

async function claim(context: Context, saleId: string, quantityText: string) {
  const quantity = wholeNumber(quantityText, '--quantity');
  if (!context.session.stored()) {
    throw new NotSignedInError(`You are not signed in to ${context.api}: run \`gavel login\` first`);
  }
  const sale = await call(() => context.client.GET('/v1/sales/{id}', { params: { path: { id: saleId } } }));
  const idempotencyKey = randomUUID();
  // A solution is good for one claim: a retry of the same claim (same key) is answered from its first decision.
  const altcha = sale.requireChallenge ? await solvedChallengeFor(context.client, saleId) : undefined;
  const claimed = await withIdempotentRetries(() =>
    callAs(context.session, (headers) =>
      context.client.POST('/v1/sales/{id}/claims', {
        params: {
          path: { id: saleId },
          header: { 'Idempotency-Key': idempotencyKey, ...(altcha === undefined ? {} : { 'X-Altcha': altcha }) },
        },
        headers,
        body: { quantity },
      }),
    ),
  );
  context.output.result(claimed, claimText);
}

export function addSaleCommands(program: Command): void {
  const sales = withExamples(program.command('sales').description('Flash sales: limited stock at a fixed price'), [
    'gavel sales create --title "Air Jordan 1, size 42" --price 120 --stock 2',
    'gavel sales claim <sale-id>',
  ]);

  withExamples(
    sales
      .command('create')
      .description('Offer a number of units at a fixed price (in major units: 120 is $120.00)')
      .requiredOption('--title <text>', 'what it is')
      .requiredOption('--price <amount>', "one unit's price, e.g. 120 or 19.99")
      .requiredOption('--stock <n>', 'how many units')
      .option('--per-user-limit <n>', 'the most one buyer may hold and buy')
      .option('--hold <duration>', 'how long a claim holds its units for payment: 10m, 1h')
      .option('--starts-in <duration>', 'open claims later instead of now')
      .option('--ends-in <duration>', 'close claims then (default: when sold out)')
      .option('--description <text>', 'more about it')
      .addOption(new Option('--category <category>', 'where buyers find it').choices(AUCTION_CATEGORIES))
      .option('--currency <code>', 'ISO 4217 currency', 'USD')
      .option('--require-challenge', 'make each claim solve a proof-of-work challenge (against bots)')
      .action(async (options, command) => {
        const context = contextOf(command);
        const body = createRequest(options);
        const sale = await callAs(context.session, (headers) => context.client.POST('/v1/sales', { headers, body }));
        context.output.result(sale, saleText);
      }),
    [
      'gavel sales create --title "Air Jordan 1, size 42" --price 120 --stock 2 --per-user-limit 1 --hold 10m',
      'gavel sales create --title "Concert ticket" --price 45 --stock 500 --ends-in 1d --require-challenge',
    ],
  );

  withExamples(
    sales
      .command('claim')
      .description('Claim units of a flash sale: they are held for you, with an order to pay before the hold ends')
      .argument('<id>', 'the sale')
      .option('--quantity <n>', 'how many units', '1')
      .action((id, options, command) => claim(contextOf(command), id, options.quantity)),
    ['gavel sales claim <sale-id>', 'gavel sales claim <sale-id> --quantity 2 --json'],
  );
}
