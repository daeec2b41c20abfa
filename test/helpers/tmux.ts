/**
 * A terminal for tests of full-screen and redrawn output: a tmux server of its own (its own socket), one
 * detached session running a command, keys typed with send-keys, and the screen read with capture-pane
 * (what a person would see: lines redrawn in place show once, as they stand).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface Terminal {
  /** The visible screen, as text. */
  screen(): string;
  /** Types text; `Enter`, `C-c` and other tmux key names as separate keys. */
  keys(...keys: string[]): void;
  /** Waits until the screen matches `pattern`, or fails saying what it shows. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  close(): void;
}

/** Runs `command` (a shell command line) in a fresh terminal `columns` wide. */
export function openTerminal(command: string, { columns = 200, rows = 12 } = {}): Terminal {
  const socket = `gavel-test-${randomBytes(6).toString('hex')}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  tmux('new-session', '-d', '-s', 'test', '-x', String(columns), '-y', String(rows), command);
  const screen = () => tmux('capture-pane', '-p', '-t', 'test');
  return {
    screen,
    keys: (...keys) => void tmux('send-keys', '-t', 'test', ...keys),
    async waitFor(pattern, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const text = screen();
        if (pattern.test(text)) return text;
        if (Date.now() > deadline) throw new Error(`the terminal never showed ${pattern}; it shows:\n${text}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close() {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
    },
  };
}
