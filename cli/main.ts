#!/usr/bin/env node
/**
 * The `gavel` command line: builds the program (program.ts), runs it, and turns whatever stopped it into
 * a message on stderr and an exit code (errors.ts, docs/cli.md "Exit codes"). With --json an error is
 * also printed on stdout in the API's error shape, so a script reads one shape whatever went wrong.
 */
import { CommanderError } from '@commander-js/extra-typings';
import { ApiRefusal, CliError, EXIT } from './errors.js';
import { buildProgram } from './program.js';

const json = process.argv.includes('--json');

/** Exits once stdout has taken everything written to it (a pipe may still hold some). */
const exit = (code: number): void => void process.stdout.write('', () => process.exit(code));

function issuesOf(details: Record<string, unknown>): { path: string; message: string }[] {
  const issues = details.issues;
  if (!Array.isArray(issues)) return [];
  return issues.filter(
    (issue): issue is { path: string; message: string } =>
      typeof (issue as { path?: unknown }).path === 'string' &&
      typeof (issue as { message?: unknown }).message === 'string',
  );
}

function report(error: CliError): void {
  // A refusal's reason (RETRACTION_NOT_ALLOWED's `last_bid_too_old`, …) is what tells cases of one code apart.
  const reason =
    error instanceof ApiRefusal && typeof error.details.reason === 'string' ? `: ${error.details.reason}` : '';
  const suffix = error instanceof ApiRefusal ? ` (${error.status} ${error.code}${reason})` : '';
  process.stderr.write(`gavel: ${error.message}${suffix}\n`);
  // A VALIDATION refusal says what is wrong in its issues: one line each, as the API words them.
  for (const issue of error instanceof ApiRefusal ? issuesOf(error.details) : []) {
    process.stderr.write(`  ${issue.path || 'body'}: ${issue.message}\n`);
  }
  if (json) process.stdout.write(JSON.stringify(error.toJson()) + '\n');
  exit(error.exitCode);
}

try {
  await buildProgram().parseAsync(process.argv);
  exit(EXIT.ok);
} catch (error) {
  if (error instanceof CliError) report(error);
  else if (error instanceof CommanderError) {
    // Help and --version end here too, having printed what was asked; a usage error has printed its message.
    if (error.exitCode !== 0 && json) {
      process.stdout.write(JSON.stringify({ error: { code: 'USAGE', message: error.message } }) + '\n');
    }
    exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
  } else {
    process.stderr.write(
      `gavel: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    exit(EXIT.refused);
  }
}
