/**
 * The `gavel` command line as a person runs it: the real binary (package.json "bin": cli/gavel.js) in a
 * child process, with a config directory of its own (XDG_CONFIG_HOME) and the API it is pointed at.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { adopt } from './children.js';

export const GAVEL_BIN = fileURLToPath(new URL('../../cli/gavel.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliUser {
  /** XDG_CONFIG_HOME of this user's runs: their stored sessions are under `<it>/gavel`. */
  configHome: string;
  api: string;
  env: Record<string, string>;
}

/** A person at a terminal of their own: a fresh config directory, pointed at `api`. */
export function cliUser(api: string): CliUser {
  const configHome = fs.mkdtempSync(path.join(os.tmpdir(), 'gavel-cli-'));
  return { configHome, api, env: { XDG_CONFIG_HOME: configHome, GAVEL_API: api } };
}

/** Runs `gavel <args>` to its end; `stdin` is written and closed (nothing: an empty, closed stdin). */
export function runCli(user: CliUser, args: string[], options: { stdin?: string; timeoutMs?: number } = {}) {
  return new Promise<CliRun>((resolve, reject) => {
    const child = adopt(
      spawn(process.execPath, [GAVEL_BIN, ...args], {
        env: { ...process.env, NO_COLOR: '1', ...user.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      }),
    );
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin!.end(options.stdin ?? '');
  });
}

/** The JSON a `--json` run printed: exactly one document on stdout, nothing else. */
export function jsonOf<T>(run: CliRun): T {
  const lines = run.stdout.trim().split('\n');
  if (lines.length !== 1) throw new Error(`expected one line of JSON on stdout, got: ${run.stdout}\n${run.stderr}`);
  return JSON.parse(lines[0]!) as T;
}

export const credentialsFile = (user: CliUser) => path.join(user.configHome, 'gavel', 'credentials.json');

export interface RunningCli {
  /** Resolves with what `stream` has printed so far once it matches `pattern`. */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** The run as a whole, once the command has ended. */
  done: Promise<CliRun>;
}

/** Starts `gavel <args>` and lets the test act while it runs (a sign-in in the browser, say). */
export function startCli(user: CliUser, args: string[]): RunningCli {
  const child = adopt(
    spawn(process.execPath, [GAVEL_BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1', ...user.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const done = new Promise<CliRun>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout: output.stdout, stderr: output.stderr })),
  );
  return {
    done,
    async waitFor(stream, pattern, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output[stream])) {
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(
            `gavel ${args.join(' ')} never printed ${pattern} on ${stream}:\n${output.stdout}\n${output.stderr}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return output[stream];
    },
  };
}
