/**
 * The one module of the command line that reads the environment (as config/env.ts is for the servers):
 * where its files live. GAVEL_API is read by the --api option itself (program.ts).
 */
import os from 'node:os';
import path from 'node:path';

export const DEFAULT_API = 'http://localhost:3000';

/** $XDG_CONFIG_HOME/gavel, or ~/.config/gavel (the XDG Base Directory default). */
export function configDir(): string {
  const xdg = process.env.XDG_CONFIG_HOME;
  // The spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.config');
  return path.join(base, 'gavel');
}
