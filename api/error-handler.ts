/**
 * Maps every error to the one error shape (docs/api.md, "Errors"). Client mistakes (bad JSON, oversize
 * bodies, failed validation) are 4xx and logged at debug; a dependency that is down (Redis, Postgres,
 * Temporal) is a 503 with Retry-After; anything unexpected is a 500, logged with its stack, with no
 * internals in the answer.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { AppError, errorBody } from './errors.js';
import { answerJson } from './json-answer.js';
import { isDependencyUnavailable, RETRY_AFTER_UNAVAILABLE_SECONDS } from './unavailable.js';

/** The errors body-parser (express.json) raises, by their `type`. */
const BODY_ERRORS: Record<string, [number, string, string]> = {
  'entity.parse.failed': [400, 'MALFORMED_JSON', 'The request body is not valid JSON'],
  'entity.too.large': [413, 'PAYLOAD_TOO_LARGE', 'The request body is too large'],
  'encoding.unsupported': [415, 'UNSUPPORTED_ENCODING', 'The request body encoding is not supported'],
  'charset.unsupported': [415, 'UNSUPPORTED_CHARSET', 'The request body charset is not supported'],
  'request.aborted': [400, 'REQUEST_ABORTED', 'The request was aborted'],
};

/** The codes a request body can be refused with before any route sees it, at one status (for the OpenAPI document). */
export const bodyErrorCodes = (status: number) =>
  Object.values(BODY_ERRORS)
    .filter(([answer]) => answer === status)
    .map(([, code]) => code);

function bodyParserError(error: unknown): [number, string, string] | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error)) return undefined;
  return BODY_ERRORS[String(error.type)];
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json(errorBody('NOT_FOUND', `No route for ${req.method} ${req.path}`));
};

/**
 * Answers a refusal (an AppError) where it was raised, for a hot route's own stack: an error passed on
 * from a route walks every later layer of the app, matching each path, before the app's handler
 * answers it, and on a contested auction most bids are refused (BID_TOO_LOW). Anything else goes on to
 * errorHandler. Same answer as errorHandler gives, without the ETag (answerJson: these are POSTs).
 */
export const answerRefusals: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if (!(error instanceof AppError) || res.headersSent) return next(error);
  answerJson(res, error.status, errorBody(error.code, error.message, error.details));
};

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    if (error instanceof AppError) {
      res.status(error.status).json(errorBody(error.code, error.message, error.details));
      return;
    }
    if (error instanceof ZodError) {
      const issues = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
      res.status(400).json(errorBody('VALIDATION', 'The request is not valid', { issues }));
      return;
    }
    const known = bodyParserError(error);
    if (known) {
      const [status, code, message] = known;
      logger.debug({ err: error, path: req.path }, code);
      res.status(status).json(errorBody(code, message));
      return;
    }
    if (isDependencyUnavailable(error)) {
      logger.warn({ err: error, method: req.method, path: req.path }, 'a dependency is unavailable');
      res.set('Retry-After', String(RETRY_AFTER_UNAVAILABLE_SECONDS));
      res.status(503).json(errorBody('UNAVAILABLE', 'A service this request needs is unavailable; try again shortly'));
      return;
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'unhandled error');
    res.status(500).json(errorBody('INTERNAL', 'Something went wrong on our side'));
  };
}
