/**
 * `gavel completion bash|zsh|fish`: a completion script for the shell, made from the command tree itself
 * (commands, options, and the values of options that have a fixed list), so it cannot fall behind it.
 */
import { Argument, type Command, type CommandUnknownOpts, type Option } from '@commander-js/extra-typings';
import { withExamples } from '../help.js';

interface Node {
  /** The subcommand names from the top, e.g. ['auctions', 'create']. */
  path: string[];
  description: string;
  subcommands: string[];
  options: Option[];
}

function nodesOf(command: CommandUnknownOpts, path: string[] = []): Node[] {
  const help = command.createHelp();
  const visible = help.visibleCommands(command).filter((sub) => sub.name() !== 'help');
  const node: Node = {
    path,
    description: command.description(),
    subcommands: visible.map((sub) => sub.name()),
    options: [...help.visibleOptions(command), ...help.visibleGlobalOptions(command)].filter((option) => option.long),
  };
  return [node, ...visible.flatMap((sub) => nodesOf(sub, [...path, sub.name()]))];
}

const quoted = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;

function bash(nodes: Node[]): string {
  const known = nodes.filter((node) => node.path.length > 0).map((node) => `"/${node.path.join('/')}"`);
  const words = nodes.map(
    (node) =>
      `    "/${node.path.join('/')}") words=${quoted([...node.subcommands, ...node.options.map((o) => o.long!)].join(' '))} ;;`,
  );
  const choices = nodes.flatMap((node) =>
    node.options
      .filter((option) => option.argChoices)
      .map(
        (option) => `    "/${node.path.join('/')} ${option.long}") words=${quoted(option.argChoices!.join(' '))} ;;`,
      ),
  );
  return `# gavel completion for bash: add  eval "$(gavel completion bash)"  to ~/.bashrc
_gavel_completions() {
  local cur prev cmdpath word words i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmdpath=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    case "$cmdpath/$word" in
      ${known.join('|')}) cmdpath="$cmdpath/$word" ;;
    esac
  done
  words=""
  case "$cmdpath $prev" in
${choices.join('\n')}
  esac
  if [ -z "$words" ]; then
    case "$cmdpath" in
      "") words=${quoted([...nodes[0]!.subcommands, ...nodes[0]!.options.map((o) => o.long!)].join(' '))} ;;
${words.slice(1).join('\n')}
    esac
  fi
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _gavel_completions gavel
`;
}

function zsh(nodes: Node[]): string {
  return `#compdef gavel
# gavel completion for zsh: add  source <(gavel completion zsh)  to ~/.zshrc (after compinit)
autoload -U +X bashcompinit && bashcompinit
${bash(nodes).split('\n').slice(1).join('\n')}`;
}

function fish(nodes: Node[]): string {
  const lines = [
    '# gavel completion for fish: gavel completion fish > ~/.config/fish/completions/gavel.fish',
    'complete -c gavel -f',
  ];
  for (const node of nodes) {
    const seen = node.path.map((name) => `__fish_seen_subcommand_from ${name}`);
    const here = node.path.length === 0 ? '__fish_use_subcommand' : seen.join('; and ');
    const notDeeper =
      node.subcommands.length > 0 ? `; and not __fish_seen_subcommand_from ${node.subcommands.join(' ')}` : '';
    for (const sub of node.subcommands) {
      const description =
        nodes.find((other) => other.path.join(' ') === [...node.path, sub].join(' '))?.description ?? '';
      lines.push(
        `complete -c gavel -n ${quoted(here + (node.path.length === 0 ? '' : notDeeper))} -a ${sub} -d ${quoted(description)}`,
      );
    }
    for (const option of node.options) {
      const values = option.argChoices
        ? ` -xa ${quoted(option.argChoices.join(' '))}`
        : option.required || option.optional
          ? ' -r'
          : '';
      const condition = node.path.length === 0 ? '' : ` -n ${quoted(seen.join('; and '))}`;
      lines.push(`complete -c gavel${condition} -l ${option.long!.slice(2)}${values} -d ${quoted(option.description)}`);
    }
  }
  return lines.join('\n') + '\n';
}

const SHELLS = { bash, zsh, fish } as const;

export function addCompletionCommand(program: Command): void {
  withExamples(
    program
      .command('completion')
      .description('Print a completion script for your shell')
      .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(Object.keys(SHELLS) as (keyof typeof SHELLS)[]))
      .action((shell) => {
        process.stdout.write(SHELLS[shell](nodesOf(program)));
      }),
    [
      'eval "$(gavel completion bash)"        # in ~/.bashrc',
      'source <(gavel completion zsh)         # in ~/.zshrc, after compinit',
      'gavel completion fish > ~/.config/fish/completions/gavel.fish',
    ],
  );
}
