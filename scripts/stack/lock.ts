/**
 * One supervisor per profile. The lock file records the supervisor and its children, so a run
 * that was killed outright (SIGKILL) leaves nothing behind: the next run stops the leftovers.
 */
import fs from 'node:fs';
import path from 'node:path';

interface LockRecord {
  pid: number;
  children: { pid: number; command: string }[];
}

export class AlreadyRunning extends Error {
  override name = 'AlreadyRunning';
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const commandLineOf = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
};

/** A recorded pid counts only if it still runs the recorded program (pids get reused). */
const stillOurs = (pid: number, command: string) => alive(pid) && commandLineOf(pid).startsWith(command.split(' ')[0]!);

export class SupervisorLock {
  private constructor(private readonly file: string) {}

  static acquire(stateDir: string, label: string): SupervisorLock {
    fs.mkdirSync(stateDir, { recursive: true });
    const file = path.join(stateDir, 'supervisor.lock.json');
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        fs.writeFileSync(file, JSON.stringify({ pid: process.pid, children: [] } satisfies LockRecord), { flag: 'wx' });
        return new SupervisorLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const record = readRecord(file);
      if (record && alive(record.pid) && commandLineOf(record.pid).includes('scripts/stack/cli.ts')) {
        throw new AlreadyRunning(
          `${label} is already running (supervisor pid ${record.pid}); stop it with Ctrl-C in its terminal or kill ${record.pid}`,
        );
      }
      stopLeftovers(record?.children ?? []);
      fs.rmSync(file, { force: true });
    }
    throw new Error(`could not take ${file}`);
  }

  recordChild(pid: number | undefined, command: string): void {
    if (pid === undefined) return;
    const record = readRecord(this.file) ?? { pid: process.pid, children: [] };
    record.children.push({ pid, command });
    fs.writeFileSync(this.file, JSON.stringify(record));
  }

  release(): void {
    fs.rmSync(this.file, { force: true });
  }
}

/** Children of a supervisor that died without cleaning up: SIGTERM, up to 10 s, then SIGKILL. */
function stopLeftovers(children: LockRecord['children']): void {
  const leftovers = children.filter((child) => stillOurs(child.pid, child.command));
  for (const child of leftovers) process.kill(-child.pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (leftovers.some((child) => alive(child.pid)) && Date.now() < deadline) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
  for (const child of leftovers) if (alive(child.pid)) process.kill(-child.pid, 'SIGKILL');
}

function readRecord(file: string): LockRecord | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as LockRecord;
  } catch {
    return null;
  }
}
