/**
 * The API's one error shape as the app holds it: what `call` throws, and what the session and upload
 * modules (which use plain requests) throw too, so a page shows any refusal the same way.
 */
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

export function toApiError(status: number, body: unknown): ApiError {
  const error = (body as Partial<ApiErrorBody> | undefined)?.error;
  if (error && typeof error.code === 'string') {
    const { code, message, ...details } = error;
    return new ApiError(status, code, String(message), details);
  }
  return new ApiError(status, 'HTTP_' + status, `The server answered ${status}`);
}
