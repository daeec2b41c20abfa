/**
 * What every command works with, made from the global options (`--api`, `--json`): the API's address,
 * the output, the typed client, and the session stored for that API.
 */
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { createApiClient, type ApiClient } from './api/client.js';
import { configDir } from './environment.js';
import { UsageError } from './errors.js';
import { Output } from './output.js';
import { Session } from './session.js';
import { TokenStore } from './token-store.js';

export interface Context {
  /** The API's base URL, normalised (no trailing slash): also the key of its stored session. */
  api: string;
  output: Output;
  client: ApiClient;
  session: Session;
}

/** An http(s) base URL without a trailing slash; a usage error for anything else. */
export function apiUrlOf(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--api must be a URL such as http://localhost:3000 (got "${text}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--api must be an http or https URL (got "${text}")`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new UsageError(`--api must be a plain base URL, without credentials, query or fragment (got "${text}")`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

export function contextOf(command: CommandUnknownOpts): Context {
  const globals = command.optsWithGlobals() as { api: string; json?: boolean };
  const api = apiUrlOf(globals.api);
  const client = createApiClient(api);
  const session = new Session(new TokenStore(configDir()), api, client);
  return { api, output: new Output(globals.json === true), client, session };
}

/** `--json` as given, for the error printer (which runs when the command may not have parsed). */
export const wantsJson = (command: CommandUnknownOpts): boolean =>
  (command.optsWithGlobals() as { json?: boolean }).json === true;
