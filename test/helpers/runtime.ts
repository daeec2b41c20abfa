/** The SDK's Runtime of a test process: installed once per process (an SDK rule), before any worker or connection. */
import { DefaultLogger, Runtime } from '@temporalio/worker';

let runtimeInstalled = false;

/** Worker logs at WARN, so test output shows problems, not every task. */
export function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  runtimeInstalled = true;
}
