/**
 * PostgreSQL refuses to run as root. When we are root, its commands run as the `postgres` system
 * user through setpriv (which execs, so the pid we hold is the server's own and signals reach it).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const isRoot = process.getuid?.() === 0;
const SERVICE_USER = 'postgres';

export function asServiceUser(argv: string[]): string[] {
  return isRoot ? ['setpriv', `--reuid=${SERVICE_USER}`, `--regid=${SERVICE_USER}`, '--init-groups', ...argv] : argv;
}

/** Gives the service user a folder of its own (no-op when not root). */
export function handOver(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  if (!isRoot) return;
  execFileSync('chown', ['-R', `${SERVICE_USER}:${SERVICE_USER}`, dir]);
  try {
    execFileSync(asServiceUser(['test', '-w', dir])[0]!, asServiceUser(['test', '-w', dir]).slice(1));
  } catch {
    throw new Error(
      `the ${SERVICE_USER} user cannot write ${dir}: a parent folder is closed to other users; ` +
        'put the project where other users may enter its folders, or run as a normal user',
    );
  }
}

export function runAsServiceUser(argv: string[]): void {
  const [file, ...args] = asServiceUser(argv);
  execFileSync(file!, args, { stdio: 'pipe' });
}
