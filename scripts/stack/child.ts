/** Long-running child processes with their output in a log file, stopped politely then firmly. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface Child {
  name: string;
  command: string;
  logFile: string;
  process: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
}

export interface ChildSpec {
  name: string;
  argv: string[];
  logFile: string;
  env?: Record<string, string>;
  cwd?: string;
}

type SpawnListener = (child: Child) => void;
const spawnListeners: SpawnListener[] = [];

/** The supervisor hears of every child as it is spawned, so none escapes a stop during start-up. */
export function onChildSpawned(listener: SpawnListener): void {
  spawnListeners.push(listener);
}

export function startChild(spec: ChildSpec): Child {
  fs.mkdirSync(path.dirname(spec.logFile), { recursive: true });
  const log = fs.openSync(spec.logFile, 'a');
  fs.writeSync(log, `\n--- ${new Date().toISOString()} starting: ${spec.argv.join(' ')}\n`);
  const [file, ...args] = spec.argv;
  if (!file) throw new Error(`${spec.name}: empty command`);
  // detached: its own process group, so a terminal's Ctrl-C reaches only the supervisor,
  // which then stops the children in order (API first, databases last).
  const child = spawn(file, args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', log, log],
    detached: true,
  });
  fs.closeSync(log);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', (error) => {
      fs.appendFileSync(spec.logFile, `spawn failed: ${error.message}\n`);
      resolve('spawn-error');
    });
  });
  const started: Child = {
    name: spec.name,
    command: spec.argv.join(' '),
    logFile: spec.logFile,
    process: child,
    exited,
  };
  for (const listener of spawnListeners) listener(started);
  return started;
}

export function isRunning(child: Child): boolean {
  return child.process.exitCode === null && child.process.signalCode === null;
}

/** Sends `signal`, waits up to `graceMs`, then SIGKILLs. */
export async function stopChild(child: Child, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (!isRunning(child)) return;
  child.process.kill(signal);
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
  if ((await Promise.race([child.exited, timer])) === 'timeout') {
    child.process.kill('SIGKILL');
    await child.exited;
  }
}

export function tailOf(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
