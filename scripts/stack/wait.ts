/** Waits for a service with a deadline; a failure names the service, its command and its log. */
import { isRunning, tailOf, type Child } from './child.js';

export class ServiceFailed extends Error {
  override name = 'ServiceFailed';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitUntilReady(child: Child, probe: () => Promise<unknown>, deadlineMs: number): Promise<void> {
  const started = Date.now();
  let lastError = 'not ready';
  while (Date.now() - started < deadlineMs) {
    if (!isRunning(child)) throw failure(child, `exited (${String(await child.exited)}) before it was ready`);
    try {
      await probe();
      return;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await sleep(250);
  }
  throw failure(child, `was not ready within ${Math.round(deadlineMs / 1000)} s (last check: ${lastError})`);
}

function failure(child: Child, what: string): ServiceFailed {
  return new ServiceFailed(
    `${child.name} ${what}\n  command: ${child.command}\n  log: ${child.logFile}\n  last lines:\n${indent(tailOf(child.logFile))}`,
  );
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
