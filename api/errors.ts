/**
 * The one error type the API throws on purpose. Its shape on the wire (docs/api.md, "Errors"):
 *   { "error": { "code": "BID_TOO_LOW", "message": "...", ...details } }
 */
import { z } from 'zod';

export class AppError extends Error {
  override name = 'AppError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    // A refusal is an answer, not a bug: no stack trace. Capturing one was a visible share of a hot
    // auction's CPU, where most bids are answered BID_TOO_LOW (bench/bid.bench.ts with BENCH_PROFILE).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}

/** The error shape as a zod schema, which the OpenAPI document is generated from (each response narrows `code`). */
export const errorBodySchema = z
  .object({
    error: z.looseObject({
      code: z.string().meta({ description: 'Stable and machine-readable: branch on this.', example: 'NOT_FOUND' }),
      message: z.string().meta({ description: 'For people; may change.' }),
    }),
  })
  .meta({ id: 'Error' });

export type ErrorBody = z.infer<typeof errorBodySchema>;

export const errorBody = (code: string, message: string, details: Record<string, unknown> = {}): ErrorBody => ({
  error: { ...details, code, message },
});

export const notFound = (what: string) => new AppError(404, 'NOT_FOUND', `${what} not found`);
