/**
 * `gavel admin …`: the operators' commands over the admin routes (docs/api.md, "Moderation"): read an
 * account, set its role, block and unblock it, cancel any auction or sale, void a bidder's bids, read
 * the audit log. The API decides who is an admin; anyone else gets its 403 as it words it. Every action
 * that changes something carries a reason, which the audit log keeps.
 */
import { Argument, type Command } from '@commander-js/extra-typings';
import { ROLES } from '../../domain/moderation/roles.js';
import { call, callAs, type Schemas } from '../api/client.js';
import { contextOf, type Context } from '../context.js';
import { NotSignedInError, UsageError } from '../errors.js';
import { money, plain, table, when } from '../format.js';
import { withExamples } from '../help.js';
import { addPromotionCommands } from './promotions.js';

type ModeratedUser = Schemas['ModeratedUser'];
type AuditPage = Schemas['AuditPage'];

const MAX_PAGE = 100;

/** The API refuses an empty reason too; refusing it here says which option, before anything is sent. */
function reasonOf(text: string | undefined): string | undefined {
  if (text !== undefined && !text.trim()) throw new UsageError('--reason must say why (it goes in the audit log)');
  return text;
}

function userText(user: ModeratedUser): string {
  const role =
    user.adminByConfig && user.grantedRole !== 'admin'
      ? `${user.role} (by ADMIN_EMAILS; granted: ${user.grantedRole})`
      : user.role;
  return [
    `${plain(user.displayName)} <${plain(user.email)}>, ${user.id}`,
    `Role: ${role}. Joined ${when(user.createdAt)}.`,
    user.blocked
      ? `Blocked${user.blockedAt === null ? '' : ` since ${when(user.blockedAt)}`}: ${plain(user.blockedReason ?? '')}`
      : 'Not blocked.',
  ].join('\n');
}

const withHeadline = (headline: string) => (user: ModeratedUser) => `${headline}\n${userText(user)}`;

function voidText(voided: Schemas['Retraction'] & { auctionId: string; currency: string }): string {
  const lines = [
    `Voided every bid of ${voided.retractedAlias} on ${voided.auctionId}.`,
    `The price is now ${money(voided.currentPrice, voided.currency)}; ` +
      `${voided.leaderAlias === null ? 'nobody leads' : `${voided.leaderAlias} leads`}; ` +
      `next bid at least ${money(voided.minimumNextBid, voided.currency)}.`,
  ];
  if (!voided.reserveMet) lines.push('The reserve is not met.');
  return lines.join('\n');
}

function auditText(page: AuditPage): string {
  if (page.items.length === 0) return 'No entries.';
  const rows = page.items.map((entry) => [
    String(entry.id),
    when(entry.at),
    entry.action,
    `${entry.targetType} ${entry.targetId}`,
    entry.actorId ?? 'system',
    plain(entry.reason ?? ''),
  ]);
  const text = table(['ID', 'AT', 'ACTION', 'TARGET', 'BY', 'REASON'], rows);
  return page.nextCursor ? `${text}\n\nMore: add --cursor ${page.nextCursor}, or --all` : text;
}

interface AuditOptions {
  actor?: string;
  target?: string;
  limit: string;
  cursor?: string;
  all?: boolean;
}

/** One page, or with --all every page from the cursor on, as one page with no next cursor. */
async function auditLog(context: Context, options: AuditOptions): Promise<AuditPage> {
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new UsageError(`--limit must be a whole number from 1 to ${MAX_PAGE} (got "${options.limit}")`);
  }
  const filters = {
    limit,
    ...(options.actor === undefined ? {} : { actor: options.actor }),
    ...(options.target === undefined ? {} : { target: options.target }),
  };
  const pageAt = (cursor: string | undefined) =>
    callAs(context.session, (headers) =>
      context.client.GET('/v1/admin/audit', {
        headers,
        params: { query: { ...filters, ...(cursor === undefined ? {} : { cursor }) } },
      }),
    );
  let page = await pageAt(options.cursor);
  if (!options.all) return page;
  const items = [...page.items];
  while (page.nextCursor !== null) {
    page = await pageAt(page.nextCursor);
    items.push(...page.items);
  }
  return { items, nextCursor: null };
}

export function addAdminCommands(program: Command): void {
  const admin = withExamples(
    program
      .command('admin')
      .description('Operator commands: accounts, blocks, cancels, voids, the audit log, promotions'),
    [
      'gavel admin user <user-id>',
      'gavel admin block <user-id> --reason "shill bidding"',
      'gavel admin void <auction-id> <bidder-id> --reason "shill bidding"',
      'gavel admin audit --target <user-id>',
      'gavel admin promotions list',
    ],
  );
  addPromotionCommands(admin);

  withExamples(
    admin
      .command('user')
      .description('An account as admins see it: its role and its block')
      .argument('<id>', 'the user')
      .action(async (id, _options, command) => {
        const context = contextOf(command);
        const user = await callAs(context.session, (headers) =>
          context.client.GET('/v1/admin/users/{id}', { headers, params: { path: { id } } }),
        );
        context.output.result(user, userText);
      }),
    ['gavel admin user <user-id>', 'gavel --json admin user <user-id> | jq .blocked'],
  );

  withExamples(
    admin
      .command('block')
      .description('Block an account: it may still sign in, read and pay, but not bid, sell or claim')
      .argument('<userId>', 'the user')
      .requiredOption('--reason <text>', 'why (kept in the audit log; the account is not shown it)')
      .action(async (id, options, command) => {
        const context = contextOf(command);
        const body = { reason: reasonOf(options.reason)! };
        const user = await callAs(context.session, (headers) =>
          context.client.POST('/v1/admin/users/{id}/block', { headers, params: { path: { id } }, body }),
        );
        context.output.result(user, withHeadline('Blocked: no more bids, claims or listings from this account.'));
      }),
    ['gavel admin block <user-id> --reason "shill bidding on the seller\'s lots"'],
  );

  withExamples(
    admin
      .command('unblock')
      .description('Lift the block on an account')
      .argument('<userId>', 'the user')
      .requiredOption('--reason <text>', 'why (kept in the audit log)')
      .action(async (id, options, command) => {
        const context = contextOf(command);
        const body = { reason: reasonOf(options.reason)! };
        const user = await callAs(context.session, (headers) =>
          context.client.POST('/v1/admin/users/{id}/unblock', { headers, params: { path: { id } }, body }),
        );
        context.output.result(user, withHeadline('Unblocked.'));
      }),
    ['gavel admin unblock <user-id> --reason "appeal upheld"'],
  );

  withExamples(
    admin
      .command('role')
      .description('Grant or take back the admin role (an address in ADMIN_EMAILS stays an admin)')
      .argument('<userId>', 'the user')
      .addArgument(new Argument('<role>', 'the role to give').choices(ROLES))
      .option('--reason <text>', 'why (kept in the audit log)')
      .action(async (id, role, options, command) => {
        const context = contextOf(command);
        const reason = reasonOf(options.reason);
        const body = { role, ...(reason === undefined ? {} : { reason }) };
        const user = await callAs(context.session, (headers) =>
          context.client.PUT('/v1/admin/users/{id}/role', { headers, params: { path: { id } }, body }),
        );
        context.output.result(user, withHeadline(`Role set to ${role}.`));
      }),
    ['gavel admin role <user-id> admin --reason "joins the support team"', 'gavel admin role <user-id> user'],
  );

  withExamples(
    admin
      .command('cancel')
      .description('Cancel any auction, bids or not: its bidders and watchers are told the reason')
      .argument('<auctionId>', 'the auction')
      .requiredOption('--reason <text>', 'why (told to its bidders and watchers, and kept in the audit log)')
      .action(async (id, options, command) => {
        const context = contextOf(command);
        const body = { reason: reasonOf(options.reason)! };
        const auction = await callAs(context.session, (headers) =>
          context.client.POST('/v1/admin/auctions/{id}/cancel', { headers, params: { path: { id } }, body }),
        );
        context.output.result(auction, (a) => `Auction ${a.id} (${plain(a.title)}) is ${a.status}.`);
      }),
    ['gavel admin cancel <auction-id> --reason "counterfeit item"'],
  );

  withExamples(
    admin
      .command('cancel-sale')
      .description('Cancel any flash sale: no claim is taken from then on, and open holds are released')
      .argument('<saleId>', 'the sale')
      .requiredOption('--reason <text>', 'why (told to those it concerns, and kept in the audit log)')
      .action(async (id, options, command) => {
        const context = contextOf(command);
        const body = { reason: reasonOf(options.reason)! };
        const sale = await callAs(context.session, (headers) =>
          context.client.POST('/v1/admin/sales/{id}/cancel', { headers, params: { path: { id } }, body }),
        );
        context.output.result(sale, (s) => `Flash sale ${s.id} (${plain(s.title)}) is ${s.status}.`);
      }),
    ['gavel admin cancel-sale <sale-id> --reason "ticket resale not allowed"'],
  );

  withExamples(
    admin
      .command('void')
      .description("Void all of a bidder's bids on an open auction: the price and leader are found again")
      .argument('<auctionId>', 'the auction')
      .argument('<bidderId>', 'the bidder whose bids are taken back')
      .requiredOption('--reason <text>', 'why (kept in the audit log)')
      .action(async (auctionId, bidderId, options, command) => {
        const context = contextOf(command);
        const body = { bidderId, reason: reasonOf(options.reason)! };
        if (!context.session.stored()) {
          throw new NotSignedInError(`You are not signed in to ${context.api}: run \`gavel login\` first`);
        }
        const auction = await call(() =>
          context.client.GET('/v1/auctions/{id}', { params: { path: { id: auctionId } } }),
        );
        const voided = await callAs(context.session, (headers) =>
          context.client.POST('/v1/admin/auctions/{id}/voids', { headers, params: { path: { id: auctionId } }, body }),
        );
        context.output.result({ ...voided, auctionId, currency: auction.currency }, voidText);
      }),
    ['gavel admin void <auction-id> <bidder-id> --reason "shill bidding"'],
  );

  withExamples(
    admin
      .command('audit')
      .description("The audit log, newest first: admins' actions and the system's unpaid strikes")
      .option('--actor <id>', "only this admin's entries")
      .option('--target <id>', 'only entries about this user, auction, sale or order')
      .option('--limit <n>', `how many a page (1 to ${MAX_PAGE})`, '20')
      .option('--cursor <cursor>', 'the next page, as the previous one said')
      .option('--all', 'every page, to the oldest entry')
      .action(async (options, command) => {
        const context = contextOf(command);
        context.output.result(await auditLog(context, options), auditText);
      }),
    [
      'gavel admin audit',
      'gavel admin audit --target <auction-id>',
      'gavel admin audit --actor <admin-id> --all --json | jq -r ".items[].action"',
    ],
  );
}
