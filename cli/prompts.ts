/**
 * Questions at the terminal (@clack/prompts), drawn on stderr so stdout stays the command's answer.
 * Only when a person is there to answer: without a terminal on stdin, a missing value is a usage error
 * naming the option that gives it. Ctrl-C at a prompt stops the command (exit 130).
 */
import { isCancel, password, text } from '@clack/prompts';
import { InterruptedError, UsageError } from './errors.js';

const interactive = () => process.stdin.isTTY === true;

function answered(value: string | symbol): string {
  if (isCancel(value) || typeof value !== 'string') throw new InterruptedError();
  return value;
}

export async function askText(message: string, missing: string, validate?: (value: string) => string | undefined) {
  if (!interactive()) throw new UsageError(missing);
  return answered(
    await text({
      message,
      output: process.stderr,
      validate: (value) => (value?.trim() ? validate?.(value.trim()) : 'Required'),
    }),
  ).trim();
}

export async function askPassword(message: string, missing: string): Promise<string> {
  if (!interactive()) throw new UsageError(missing);
  return answered(
    await password({ message, output: process.stderr, validate: (value) => (value ? undefined : 'Required') }),
  );
}

/** All of stdin, less one trailing newline (`echo secret | gavel login --password-stdin`). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
