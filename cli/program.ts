/**
 * The command tree: the global options every command takes, and one module per group of commands
 * (commands/). Settings made here before the commands are added (how errors exit, help after an
 * error) are inherited by every subcommand.
 */
import { Command, Option } from '@commander-js/extra-typings';
import { addAdminCommands } from './commands/admin.js';
import { addAuctionCommands } from './commands/auctions.js';
import { addAuthCommands } from './commands/auth.js';
import { addBidCommand } from './commands/bid.js';
import { addCompletionCommand } from './commands/completion.js';
import { addOrderCommands } from './commands/orders.js';
import { addRetractCommand } from './commands/retract.js';
import { addSaleCommands } from './commands/sales.js';
import { addWatchCommand } from './commands/watch.js';
import { DEFAULT_API } from './environment.js';
import { withExamples } from './help.js';
import { packageVersion } from './version.js';

export function buildProgram(): Command {
  const program = new Command('gavel')
    .description('Gavel from the terminal: sign in, sell, search, bid, and watch auctions live.')
    .version(packageVersion(), '-V, --version')
    .addOption(new Option('--api <url>', 'the API to talk to').env('GAVEL_API').default(DEFAULT_API))
    .option('--json', 'print machine-readable JSON on stdout (and nothing else there)')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false });
  withExamples(program, [
    'gavel login',
    'gavel auctions list --sort ending_soonest',
    'gavel bid <auction-id> 25.00',
    'gavel watch <auction-id>',
    'GAVEL_API=https://gavel.example.com gavel --json auctions search "leica"',
  ]);
  program.addHelpText(
    'after',
    '\nExit codes: 0 ok, 1 the API refused, 2 usage error, 3 not signed in, 4 API unreachable, 130 interrupted.\n',
  );

  addAuthCommands(program);
  addAuctionCommands(program);
  addBidCommand(program);
  addRetractCommand(program);
  addWatchCommand(program);
  addOrderCommands(program);
  addSaleCommands(program);
  addAdminCommands(program);
  addCompletionCommand(program);
  return program;
}
