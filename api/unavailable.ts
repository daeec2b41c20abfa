/**
 * Recognises "a dependency is down" errors (Redis, Postgres, Temporal), so the API can answer 503
 * with Retry-After instead of a 500: the request was fine, and the same request (with the same
 * Idempotency-Key for a bid) will succeed once the dependency is back.
 */
import { isGrpcServiceError } from '@temporalio/client';

/** How soon a client should try again after a 503, in seconds. */
export const RETRY_AFTER_UNAVAILABLE_SECONDS = 1;

// ioredis: no connection and no offline queue, the connection dropped mid-command, or retries ran out.
const REDIS_MESSAGES = [
  "Stream isn't writeable",
  'Connection is closed',
  'Reached the max retries per request limit',
  'Failed to refresh slots cache',
  'ClusterAllFailedError',
];
// Node sockets (pg connecting, or a connection cut), and Postgres refusing or shutting down.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);
const POSTGRES_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);
const PG_MESSAGES = ['Connection terminated', 'timeout exceeded when trying to connect'];
// gRPC UNAVAILABLE and DEADLINE_EXCEEDED: the Temporal server is down or not answering.
const GRPC_UNAVAILABLE = new Set([14, 4]);

/** Thrown by code that knows what it needs is not there yet (the listing read model still loading). */
export class Unavailable extends Error {
  override name = 'Unavailable';
}

export function isDependencyUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof Unavailable) return true;
  if (isGrpcServiceError(error) && GRPC_UNAVAILABLE.has(error.code)) return true;
  const cause = (error as { cause?: unknown }).cause;
  if (isGrpcServiceError(cause) && GRPC_UNAVAILABLE.has(cause.code)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || POSTGRES_CODES.has(code))) return true;
  return [...REDIS_MESSAGES, ...PG_MESSAGES].some((text) => error.message.includes(text) || error.name === text);
}
