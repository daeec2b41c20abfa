/**
 * Child processes a test file starts (API, worker) die with it: when the test runner ends a file (its
 * timeout, Ctrl-C), orphans would otherwise keep ports, and the runner's stderr pipe, open.
 */
import type { ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();
const killAll = () => {
  for (const child of children) child.kill('SIGKILL');
};
process.once('exit', killAll);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    killAll();
    process.kill(process.pid, signal); // the default action, now that this listener is gone
  });
}

export function adopt(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}
