/** Help text every command shares: its examples, under the options. */
import type { CommandUnknownOpts } from '@commander-js/extra-typings';

export function withExamples<C extends CommandUnknownOpts>(command: C, examples: string[]): C {
  command.addHelpText('after', `\nExamples:\n${examples.map((line) => `  $ ${line}`).join('\n')}\n`);
  return command;
}
