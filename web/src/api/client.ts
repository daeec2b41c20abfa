/**
 * The typed API client: openapi-fetch over the types generated from the API's own OpenAPI document
 * (scripts/web-client.ts), so a change to the API that breaks a page fails `npm run typecheck`.
 * Every request carries the access token held in memory (session.ts); a 401 on an expired token
 * refreshes the session once and retries.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { accessToken, refreshSession } from '../session';

export type Schemas = components['schemas'];

/** What every API error looks like (docs/api.md, "Errors"). */
export interface ApiErrorBody {
  error: { code: string; message: string; [detail: string]: unknown };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

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

export function toApiError(status: number, body: unknown): ApiError {
  const error = (body as Partial<ApiErrorBody> | undefined)?.error;
  if (error && typeof error.code === 'string') {
    const { code, message, ...details } = error;
    return new ApiError(status, code, String(message), details);
  }
  return new ApiError(status, 'HTTP_' + status, `The server answered ${status}`);
}
