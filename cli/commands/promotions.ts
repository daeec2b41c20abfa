/**
 * `gavel admin promotions …`: admins' promotions (docs/api.md, "Promotions"): define one, list them, show
 * one with its latest firings, pause, resume, delete. The budget is typed in major units and read exactly
 * into minor units, as a bid is; the schedule's durations are ISO-8601 as the API takes them.
 */
import { Option, type Command } from '@commander-js/extra-typings';
import { AUCTION_CATEGORIES } from '../../domain/categories.js';
import { STRATEGY_NAMES } from '../../domain/promotions/strategies.js';
import { callAs, type Schemas } from '../api/client.js';
import { contextOf } from '../context.js';
import { UsageError } from '../errors.js';
import { money, plain, table, when } from '../format.js';
import { withExamples } from '../help.js';
import { parseAmount, parseCurrency } from '../parse/amount.js';

type Promotion = Schemas['Promotion'];
type PromotionDetail = Schemas['PromotionDetail'];

function scopeText(promotion: Promotion): string {
  const { category, auctionId } = promotion.scope;
  if (auctionId !== null) return `auction ${auctionId}${category === null ? '' : ` (if ${category})`}`;
  return category === null ? 'every live auction' : `live ${category} auctions`;
}

function promotionText(promotion: Promotion): string {
  return [
    `Promotion ${promotion.id}: ${promotion.status}, ${promotion.strategy}, on ${scopeText(promotion)}.`,
    `Fires every ${promotion.every} (up to ${promotion.jitter} late), at most ${promotion.maxPerAuction} per auction.`,
    `Budget ${money(promotion.budget, promotion.currency)}: ${money(promotion.committed, promotion.currency)} committed, ` +
      `${money(promotion.remaining, promotion.currency)} left.`,
  ].join('\n');
}

function detailText(detail: PromotionDetail): string {
  const next = detail.nextFiringAt === null ? 'No firing scheduled.' : `Next firing ${when(detail.nextFiringAt)}.`;
  if (detail.firings.length === 0) return `${promotionText(detail)}\n${next}\nNo firings yet.`;
  const rows = detail.firings.map((firing) => [
    when(firing.firedAt),
    firing.outcome + (firing.reason === null ? '' : ` (${plain(firing.reason)})`),
    firing.auctionId ?? '',
    firing.fromMax === null || firing.toMax === null
      ? ''
      : `${money(firing.fromMax, detail.currency)} → ${money(firing.toMax, detail.currency)}`,
    String(firing.seed),
  ]);
  return `${promotionText(detail)}\n${next}\n\n${table(['FIRED', 'OUTCOME', 'AUCTION', 'MAXIMUM', 'SEED'], rows)}`;
}

function listText(page: { items: Promotion[] }): string {
  if (page.items.length === 0) return 'No promotions.';
  const rows = page.items.map((p) => [
    p.id,
    p.status,
    scopeText(p),
    p.every,
    `${money(p.remaining, p.currency)} of ${money(p.budget, p.currency)}`,
  ]);
  return table(['ID', 'STATUS', 'SCOPE', 'EVERY', 'LEFT'], rows);
}

function reasonOf(text: string | undefined): string | undefined {
  if (text !== undefined && !text.trim()) throw new UsageError('--reason must say why (it goes in the audit log)');
  return text;
}

const ISO_DURATION = /^P(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?$/;

function durationOf(text: string, option: string): string {
  if (!ISO_DURATION.test(text) || text === 'P' || text.endsWith('T')) {
    throw new UsageError(`${option} must be an ISO-8601 duration such as PT1H, PT30M or P1D (got "${text}")`);
  }
  return text;
}

function wholeNumber(text: string, option: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n))
    throw new UsageError(`${option} must be a whole number (got "${text}")`);
  return n;
}

export function addPromotionCommands(admin: Command): void {
  const promotions = withExamples(
    admin
      .command('promotions')
      .description("The promoter: on a schedule, double a random bidder's maximum at the house's expense"),
    [
      'gavel admin promotions create --every PT1H --budget 500.00 --category art',
      'gavel admin promotions list',
      'gavel admin promotions pause <promotion-id> --reason "quiet week"',
    ],
  );

  withExamples(
    promotions
      .command('create')
      .description('Define a promotion and start its schedule')
      .requiredOption('--every <duration>', 'how often it fires: an ISO-8601 duration from PT1M to P31D')
      .option('--jitter <duration>', 'each firing up to this much late, at random', 'PT0S')
      .requiredOption('--budget <amount>', 'the most its subsidies may add up to, in major units (500.00)')
      .option('--currency <code>', 'the budget’s currency: only auctions in it are chosen', 'USD')
      .addOption(new Option('--category <category>', 'only auctions of this category').choices(AUCTION_CATEGORIES))
      .option('--auction <id>', 'only this auction')
      .option('--max-per-auction <n>', 'doublings one auction may get', '1')
      .addOption(new Option('--strategy <name>', 'whom it picks').choices(STRATEGY_NAMES).default('uniform' as const))
      .option('--reason <text>', 'why (kept in the audit log)')
      .action(async (options, command) => {
        const context = contextOf(command);
        const currency = parseCurrency(options.currency);
        const reason = reasonOf(options.reason);
        const body = {
          every: durationOf(options.every, '--every'),
          jitter: durationOf(options.jitter, '--jitter'),
          budget: parseAmount(options.budget, currency, 'The budget'),
          currency,
          maxPerAuction: wholeNumber(options.maxPerAuction, '--max-per-auction'),
          strategy: options.strategy,
          scope: {
            ...(options.category === undefined ? {} : { category: options.category }),
            ...(options.auction === undefined ? {} : { auctionId: options.auction }),
          },
          ...(reason === undefined ? {} : { reason }),
        };
        const created = await callAs(context.session, (headers) =>
          context.client.POST('/v1/admin/promotions', { headers, body }),
        );
        context.output.result(created, (p) => `Created.\n${promotionText(p)}`);
      }),
    [
      'gavel admin promotions create --every PT1H --jitter PT10M --budget 500.00 --category art --strategy newer_bidders',
      'gavel admin promotions create --every PT30M --budget 50 --auction <auction-id> --max-per-auction 2',
    ],
  );

  promotions
    .command('list')
    .description('The promotions not deleted, with what each has left of its budget')
    .action(async (_options, command) => {
      const context = contextOf(command);
      const page = await callAs(context.session, (headers) => context.client.GET('/v1/admin/promotions', { headers }));
      context.output.result(page, listText);
    });

  promotions
    .command('show')
    .description('A promotion, its next firing and its latest firings (with the seed that reproduces each)')
    .argument('<id>', 'the promotion')
    .action(async (id, _options, command) => {
      const context = contextOf(command);
      const detail = await callAs(context.session, (headers) =>
        context.client.GET('/v1/admin/promotions/{id}', { headers, params: { path: { id } } }),
      );
      context.output.result(detail, detailText);
    });

  for (const [name, status, says] of [
    ['pause', 'paused', 'Paused: no firings until resumed.'],
    ['resume', 'active', 'Resumed.'],
  ] as const) {
    promotions
      .command(name)
      .description(name === 'pause' ? 'Stop a promotion firing, until resumed' : 'Let a paused promotion fire again')
      .argument('<id>', 'the promotion')
      .option('--reason <text>', 'why (kept in the audit log)')
      .action(async (id, options, command) => {
        const context = contextOf(command);
        const reason = reasonOf(options.reason);
        const body = { status, ...(reason === undefined ? {} : { reason }) };
        const promotion = await callAs(context.session, (headers) =>
          context.client.PATCH('/v1/admin/promotions/{id}', { headers, params: { path: { id } }, body }),
        );
        context.output.result(promotion, (p) => `${says}\n${promotionText(p)}`);
      });
  }

  promotions
    .command('delete')
    .description('Delete a promotion: its schedule stops; its doublings stand and their subsidies are paid')
    .argument('<id>', 'the promotion')
    .option('--reason <text>', 'why (kept in the audit log)')
    .action(async (id, options, command) => {
      const context = contextOf(command);
      const reason = reasonOf(options.reason);
      const promotion = await callAs(context.session, (headers) =>
        context.client.DELETE('/v1/admin/promotions/{id}', {
          headers,
          params: { path: { id }, query: reason === undefined ? {} : { reason } },
        }),
      );
      context.output.result(promotion, (p) => `Deleted.\n${promotionText(p)}`);
    });
}
