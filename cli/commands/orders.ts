/** `gavel orders`: what you won or claimed (or sold, with --role seller), newest first, and where each stands. */
import { Option, type Command } from '@commander-js/extra-typings';
import { ORDER_STATUSES } from '../../domain/settlement/order.js';
import { callAs, type Schemas } from '../api/client.js';
import { contextOf } from '../context.js';
import { UsageError } from '../errors.js';
import { money, table, when } from '../format.js';
import { withExamples } from '../help.js';

const MAX_PAGE = 100;

function dueText(order: Schemas['Order']): string {
  if (order.status === 'paid' && order.paidAt) return `paid ${when(order.paidAt)}`;
  if (order.status === 'awaiting_payment') return `pay by ${when(order.payBy)}`;
  return order.status;
}

function ordersText(page: Schemas['OrderPage']): string {
  if (page.items.length === 0) return 'No orders.';
  const rows = page.items.map((order) => [
    order.id,
    order.kind === 'sale' ? `sale ${order.saleId ?? ''}` : `auction ${order.auctionId ?? ''}`,
    order.houseSubsidy > 0
      ? `${money(order.amountDue, order.currency)} (house pays ${money(order.houseSubsidy, order.currency)})`
      : money(order.amountDue, order.currency),
    order.status,
    dueText(order),
  ]);
  const text = table(['ID', 'FOR', 'YOU PAY', 'STATUS', 'WHEN'], rows);
  return page.nextCursor ? `${text}\n\nMore: add --cursor ${page.nextCursor}` : text;
}

export function addOrderCommands(program: Command): void {
  withExamples(
    program
      .command('orders')
      .description('Your orders: what you won or claimed, and what you owe (--role seller: what you sold)')
      .addOption(new Option('--role <role>', 'as buyer (default) or seller').choices(['buyer', 'seller'] as const))
      .addOption(new Option('--status <status>', 'only these').choices(ORDER_STATUSES))
      .option('--limit <n>', `how many (1 to ${MAX_PAGE})`, '20')
      .option('--cursor <cursor>', 'the next page, as the previous one said')
      .action(async (options, command) => {
        const context = contextOf(command);
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
          throw new UsageError(`--limit must be a whole number from 1 to ${MAX_PAGE} (got "${options.limit}")`);
        }
        const query = {
          limit,
          ...(options.role === undefined ? {} : { role: options.role }),
          ...(options.status === undefined ? {} : { status: options.status }),
          ...(options.cursor === undefined ? {} : { cursor: options.cursor }),
        };
        const page = await callAs(context.session, (headers) =>
          context.client.GET('/v1/users/me/orders', { headers, params: { query } }),
        );
        context.output.result(page, ordersText);
      }),
    ['gavel orders', 'gavel orders --status awaiting_payment', 'gavel orders --role seller --json'],
  );
}
