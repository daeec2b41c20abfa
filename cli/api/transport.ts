/**
 * fetch for the command line: a request that gets no answer at all (refused, reset, no such host, timed
 * out) becomes an UnreachableError, exit 4, with the reason in plain words. Answers, errors included,
 * are the caller's.
 */
import { UnreachableError } from '../errors.js';

/** Long enough for any route but a stream (streams pass their own signal). */
const REQUEST_TIMEOUT_MS = 30_000;

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be resolved',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection broke',
};

/** Why fetch failed, for people; null when it is not a network failure (a bug: left to surface). */
export function unreachableReason(error: unknown): string | null {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return 'no answer in time';
  }
  if (!(error instanceof TypeError)) return null;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return REASONS[cause.code] ?? cause.code;
  return cause?.message ?? error.message;
}

export async function fetchOrUnreachable(
  baseUrl: string,
  request: Request,
  signal: AbortSignal = AbortSignal.timeout(REQUEST_TIMEOUT_MS),
): Promise<Response> {
  try {
    return await fetch(request, { signal });
  } catch (error) {
    const reason = unreachableReason(error);
    if (reason === null) throw error;
    throw new UnreachableError(baseUrl, reason);
  }
}
