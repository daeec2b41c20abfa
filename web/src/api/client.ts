/**
 * The typed API client: openapi-fetch over the types generated from the API's own OpenAPI document
 * (scripts/api-client-types.ts), so a change to the API that breaks a page fails `npm run typecheck`.
 * Every request carries the access token held in memory (session.ts); a 401 on an expired token
 * refreshes the session once and retries.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { accessToken, refreshSession } from '../session';
import { toApiError } from './errors';

export type Schemas = components['schemas'];

const auth: Middleware = {
  onRequest({ request }) {
    const token = accessToken.value;
    if (token !== null) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: location.origin });
api.use(auth);

/**
 * The answer's data, or an ApiError. A 401 from a request that carried a token (it expired, or was
 * revoked) refreshes the session once and repeats the call.
 */
export async function call<T>(request: () => Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let answer = await request();
  if (answer.response.status === 401 && accessToken.value !== null && (await refreshSession())) {
    answer = await request();
  }
  if (answer.error !== undefined || !answer.response.ok) throw toApiError(answer.response.status, answer.error);
  return answer.data as T;
}
