/**
 * The typed API client: openapi-fetch over the types generated from the API's own OpenAPI document
 * (scripts/api-client-types.ts), so a change to the API that breaks a command fails `npm run typecheck`.
 * `call` turns every outcome into data or a CliError: the API's refusal (exit 1), no session (exit 3),
 * no API (exit 4). A 401 on a request that carried a token refreshes the session once and repeats it.
 */
import createClient, { type Client } from 'openapi-fetch';
import { NotSignedInError, refusalOf } from '../errors.js';
import type { components, paths } from './schema.js';
import { fetchOrUnreachable } from './transport.js';

export type Schemas = components['schemas'];
export type ApiClient = Client<paths>;

/** What `call` needs from a session: a token to send, and a fresh one after a 401. */
export interface TokenSource {
  accessToken(): Promise<string>;
  /** A new access token after the API refused `rejected`; throws NotSignedInError when that cannot be had. */
  refreshAfter(rejected: string): Promise<string>;
}

export function createApiClient(baseUrl: string): ApiClient {
  return createClient<paths>({ baseUrl, fetch: (request) => fetchOrUnreachable(baseUrl, request) });
}

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** An anonymous request's data, or the API's refusal. */
export async function call<T>(request: () => Promise<Answer<T>>): Promise<T> {
  const answer = await request();
  return dataOf(answer);
}

/** A request made as the signed-in user (`request` puts the token it is given in the headers). */
export async function callAs<T>(
  tokens: TokenSource,
  request: (headers: { Authorization: string }) => Promise<Answer<T>>,
): Promise<T> {
  const token = await tokens.accessToken();
  let answer = await request({ Authorization: `Bearer ${token}` });
  if (answer.response.status === 401) {
    answer = await request({ Authorization: `Bearer ${await tokens.refreshAfter(token)}` });
    // Refused again with a fresh token: the account's sessions were revoked (deleted, or relinked by SSO).
    if (answer.response.status === 401) {
      const refusal = refusalOf(401, answer.error);
      throw new NotSignedInError(`${refusal.message}: run \`gavel login\``);
    }
  }
  return dataOf(answer);
}

function dataOf<T>(answer: Answer<T>): T {
  if (answer.error !== undefined || !answer.response.ok) throw refusalOf(answer.response.status, answer.error);
  return answer.data as T;
}
