/**
 * `gavel auctions create|list|search|show`: selling, and finding what is for sale. Everything typed is
 * checked before the first request (amounts, durations, image files), so bad input changes nothing.
 */
import fs from 'node:fs';
import { Option, type Command, type OptionValues } from '@commander-js/extra-typings';
import { AUCTION_STATUSES } from '../../domain/auction-status.js';
import { AUCTION_CATEGORIES } from '../../domain/categories.js';
import { call, callAs, type Schemas } from '../api/client.js';
import type { operations } from '../api/schema.js';
import { uploadImage } from '../api/upload-image.js';
import { auctionDetailText, listingText } from '../auction-text.js';
import { contextOf, type Context } from '../context.js';
import { UsageError } from '../errors.js';
import { endText, money, plain } from '../format.js';
import { withExamples } from '../help.js';
import { parseAmount, parseCurrency } from '../parse/amount.js';
import { parseDuration } from '../parse/duration.js';

type ListingQuery = NonNullable<operations['listAuctions']['parameters']['query']>;

const SORTS = ['newest', 'ending_soonest', 'price_asc', 'price_desc', 'most_bids'] as const;
const KINDS = ['auction', 'sale'] as const;
const MAX_PAGE = 100;

/** Each image file exists and is a readable file: checked before the auction is created. */
function checkImages(files: string[]): void {
  for (const file of files) {
    let stat: fs.Stats;
    try {
      fs.accessSync(file, fs.constants.R_OK);
      stat = fs.statSync(file);
    } catch {
      throw new UsageError(`--image ${file}: no such file, or it cannot be read`);
    }
    if (!stat.isFile()) throw new UsageError(`--image ${file}: not a file`);
  }
}

function limitOf(text: string): number {
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new UsageError(`--limit must be a whole number from 1 to ${MAX_PAGE} (got "${text}")`);
  }
  return limit;
}

interface CreateOptions {
  title: string;
  startingPrice: string;
  endsIn: string;
  startsIn?: string;
  description?: string;
  category?: Schemas['CreateAuctionRequest']['category'];
  currency: string;
  reserve?: string;
  buyNow?: string;
  softClose?: string;
  image?: string[];
}

/** The request body, from options already known to be well-formed: the one place create's input is read. */
function createRequest(options: CreateOptions, now = Date.now()): Schemas['CreateAuctionRequest'] {
  const currency = parseCurrency(options.currency);
  const startingPrice = parseAmount(options.startingPrice, currency, '--starting-price');
  const endsInSeconds = parseDuration(options.endsIn, '--ends-in');
  const startsInSeconds = options.startsIn === undefined ? undefined : parseDuration(options.startsIn, '--starts-in');
  const softCloseSeconds =
    options.softClose === undefined ? undefined : parseDuration(options.softClose, '--soft-close');
  if (startsInSeconds !== undefined && startsInSeconds >= endsInSeconds) {
    throw new UsageError('--ends-in is counted from now, and must be later than --starts-in');
  }
  if (!options.title.trim()) throw new UsageError('--title must not be empty');
  return {
    title: options.title,
    description: options.description ?? '',
    currency,
    startingPrice,
    ...(options.category === undefined ? {} : { category: options.category }),
    ...(options.reserve === undefined ? {} : { reservePrice: parseAmount(options.reserve, currency, '--reserve') }),
    ...(options.buyNow === undefined ? {} : { buyNowPrice: parseAmount(options.buyNow, currency, '--buy-now') }),
    ...(startsInSeconds === undefined ? {} : { startsAt: new Date(now + startsInSeconds * 1000).toISOString() }),
    endsAt: new Date(now + endsInSeconds * 1000).toISOString(),
    ...(softCloseSeconds === undefined
      ? {}
      : { softClose: { windowSeconds: softCloseSeconds, extendSeconds: softCloseSeconds } }),
    // The generated type lists the fields the API gives defaults to as required; those left out here
    // get the deployment's defaults (its payment window, premium, hold…), which the command line cannot know.
  } as Schemas['CreateAuctionRequest'];
}

async function createAuction(context: Context, options: CreateOptions) {
  const body = createRequest(options);
  const images = options.image ?? [];
  checkImages(images);
  const auction = await callAs(context.session, (headers) => context.client.POST('/v1/auctions', { headers, body }));
  const uploaded: Schemas['AuctionImage'][] = [];
  for (const file of images) {
    try {
      uploaded.push(await uploadImage(context.api, context.session, auction.id, file));
    } catch (error) {
      context.output.note(`The auction ${auction.id} was created, but ${file} was not added:`);
      throw error;
    }
    if (!context.output.json) context.output.note(`Added ${file}`);
  }
  context.output.result({ ...auction, images: uploaded }, (created) =>
    [
      `Created auction ${created.id}: ${plain(created.title)}`,
      `Starting at ${money(created.startingPrice, created.currency)}, ${created.status}, ${endText(created.endsAt)}.` +
        (uploaded.length > 0 ? ` ${uploaded.length} image${uploaded.length === 1 ? '' : 's'}.` : ''),
      `Watch it live: gavel watch ${created.id}`,
    ].join('\n'),
  );
}

type ListOptions = Pick<ListingQuery, 'status' | 'category' | 'sort' | 'kind' | 'cursor'> & { limit: string };

async function list(context: Context, options: ListOptions, q?: string) {
  const query: ListingQuery = {
    limit: limitOf(options.limit),
    ...(options.cursor === undefined ? {} : { cursor: options.cursor }),
    ...(options.status === undefined ? {} : { status: options.status }),
    ...(options.category === undefined ? {} : { category: options.category }),
    ...(options.sort === undefined ? {} : { sort: options.sort }),
    ...(options.kind === undefined ? {} : { kind: options.kind }),
    ...(q === undefined ? {} : { q }),
  };
  const page = await call(() => context.client.GET('/v1/auctions', { params: { query } }));
  context.output.result(page, listingText);
}

/** The listing's filters, shared by list and search. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a command with no options yet, as commander types it
const listOptions = <Args extends unknown[], Globals extends OptionValues>(command: Command<Args, {}, Globals>) =>
  command
    .addOption(new Option('--status <status>', 'only these').choices(AUCTION_STATUSES))
    .addOption(new Option('--category <category>', 'only this category').choices(AUCTION_CATEGORIES))
    .addOption(new Option('--sort <order>', 'the order (default newest)').choices(SORTS))
    .addOption(new Option('--kind <kind>', 'auctions or flash sales only').choices(KINDS))
    .option('--limit <n>', `how many (1 to ${MAX_PAGE})`, '20')
    .option('--cursor <cursor>', 'the next page, as the previous one said');

export function addAuctionCommands(program: Command): void {
  const auctions = withExamples(program.command('auctions').description('Sell, list, search and show auctions'), [
    'gavel auctions create --title "Leica M3" --starting-price 250 --ends-in 3d',
    'gavel auctions list --status open --sort ending_soonest',
    'gavel auctions search "first edition"',
    'gavel auctions show <auction-id>',
  ]);

  withExamples(
    auctions
      .command('create')
      .description('Put something up for auction (amounts in major units: 12.50 is $12.50)')
      .requiredOption('--title <text>', 'what it is')
      .requiredOption('--starting-price <amount>', 'the first bid at least, e.g. 12.50')
      .requiredOption('--ends-in <duration>', 'when bidding ends, from now: 90m, 2h, 3d, 1h30m')
      .option('--starts-in <duration>', 'open bidding later instead of now')
      .option('--description <text>', 'more about it')
      .addOption(new Option('--category <category>', 'where buyers find it').choices(AUCTION_CATEGORIES))
      .option('--currency <code>', 'ISO 4217 currency', 'USD')
      .option('--reserve <amount>', 'a hidden minimum price to sell at')
      .option('--buy-now <amount>', 'a price to buy at at once, until the first bid')
      .option('--soft-close <duration>', 'a bid in the last <duration> moves the end to <duration> after it')
      .option('--image <files...>', 'photos to add (JPEG, PNG or WebP)')
      .action((options, command) => createAuction(contextOf(command), options)),
    [
      'gavel auctions create --title "Gibson Les Paul, 1959" --starting-price 100 --ends-in 3d',
      'gavel auctions create --title "Leica M3" --starting-price 12.50 --reserve 400 --buy-now 900 \\\n      --ends-in 2h --category electronics --image front.jpg back.jpg',
      'gavel --json auctions create --title Lamp --starting-price 5 --ends-in 90m | jq -r .id',
    ],
  );

  withExamples(
    listOptions(auctions.command('list').description('List auctions (and flash sales), newest first')).action(
      (options, command) => list(contextOf(command), options),
    ),
    [
      'gavel auctions list',
      'gavel auctions list --status open --sort ending_soonest --limit 5',
      'gavel auctions list --category music --kind auction',
      'gavel --json auctions list | jq -r ".items[].id"',
    ],
  );

  withExamples(
    listOptions(
      auctions
        .command('search')
        .description('Search titles and descriptions (web-search syntax: "first edition", guitar -bass)')
        .argument('<query>', 'what to look for'),
    ).action((query, options, command) => list(contextOf(command), options, query)),
    ['gavel auctions search leica', 'gavel auctions search "gibson -epiphone" --status open'],
  );

  withExamples(
    auctions
      .command('show')
      .description('Show one auction: price, leader, bids, times, images')
      .argument('<id>', 'the auction')
      .action(async (id, _options, command) => {
        const context = contextOf(command);
        const auction = await call(() => context.client.GET('/v1/auctions/{id}', { params: { path: { id } } }));
        context.output.result(auction, auctionDetailText);
      }),
    ['gavel auctions show <auction-id>', 'gavel --json auctions show <auction-id> | jq .currentPrice'],
  );
}
