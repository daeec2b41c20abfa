/**
 * One supervisor per profile. The lock file records the supervisor and its children, so a run
 * that was killed outright (SIGKILL) leaves nothing behind: the next run stops the leftovers.
 */
import fs from 'node:fs';
import path from 'node:path';

interface LockRecord {
  pid: number;
  children: { pid: number; startTime: string }[];
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

/** The kernel's start time of a process (field 22 of /proc/PID/stat): with the pid, it names one process for good. */
export function startTimeOf(pid: number): string {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

/** A recorded pid counts only if it is still the same process (pids get reused). */
const stillOurs = (pid: number, startTime: string) => startTime !== '' && startTimeOf(pid) === startTime;

export class SupervisorLock {
  private constructor(private readonly file: string) {}

  /** `file` lives outside the state folder it guards, which a fresh run wipes. */
  static acquire(file: string, label: string): SupervisorLock {
    fs.mkdirSync(path.dirname(file), { recursive: true });
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

  recordChild(pid: number | undefined): void {
    if (pid === undefined) return;
    const record = readRecord(this.file) ?? { pid: process.pid, children: [] };
    record.children.push({ pid, startTime: startTimeOf(pid) });
    fs.writeFileSync(this.file, JSON.stringify(record));
  }

  release(): void {
    fs.rmSync(this.file, { force: true });
  }
}

/** Children of a supervisor that died without cleaning up: SIGTERM, up to 10 s, then SIGKILL. */
function stopLeftovers(children: LockRecord['children']): void {
  const leftovers = children.filter((child) => stillOurs(child.pid, child.startTime));
  for (const child of leftovers) process.kill(-child.pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  const running = () => leftovers.filter((child) => stillOurs(child.pid, child.startTime));
  while (running().length > 0 && Date.now() < deadline) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
  for (const child of running()) process.kill(-child.pid, 'SIGKILL');
}

function readRecord(file: string): LockRecord | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as LockRecord;
  } catch {
    return null;
  }
}
