/**
 * Where a command's answer goes. With --json, stdout carries exactly one JSON document per result
 * (one per line for a stream) and nothing else, for scripts; without it, words for people. Progress
 * and notes go to stderr either way, so they never mix with what a script reads.
 */
export class Output {
  constructor(readonly json: boolean) {}

  /** The command's answer: `data` as JSON, or the lines `human` makes of it. */
  result<T>(data: T, human: (data: T) => string): void {
    if (this.json) process.stdout.write(JSON.stringify(data) + '\n');
    else process.stdout.write(human(data) + '\n');
  }

  /** One item of a stream (`watch --json`): a line of JSON each. */
  jsonLine(data: unknown): void {
    process.stdout.write(JSON.stringify(data) + '\n');
  }

  /** A line for people only (stderr): what is going on, never a result. */
  note(text: string): void {
    process.stderr.write(text + '\n');
  }
}
