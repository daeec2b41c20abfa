/**
 * `gavel admin …`: the operators' commands (block a bidder, void a bid, read the audit log, promotions),
 * over the admin routes, which are not in the API yet. This group is where they go, one subcommand each
 * as in the other groups, once those routes are in the OpenAPI document (and so in the client's types).
 * Until then it is hidden from help and says so when run.
 */
import type { Command } from '@commander-js/extra-typings';
import { UsageError } from '../errors.js';

export function addAdminCommands(program: Command): void {
  program
    .command('admin', { hidden: true })
    .description('Operator commands (not available yet)')
    .allowUnknownOption()
    .argument('[command...]')
    .action(() => {
      throw new UsageError('The admin commands are not available yet: this API has no admin routes');
    });
}
