/**
 * A server span's route: the template express matched (`/v1/auctions/:id/bids`), not the path with its
 * ids, so a tracing backend groups one route's requests together. Read when the span ends, after
 * express has routed the request; null when no route matched (a 404, an OPTIONS answered before routing)
 * and for the outgoing requests the same instrumentation traces. The routers here are mounted at the root
 * with full paths; one mounted below it would lose its mount path from the name of a request that leaves
 * it with an error (the router resets `baseUrl` then).
 */
import type { ClientRequest, IncomingMessage } from 'node:http';

interface RoutedRequest {
  /** Where the router that matched is mounted (empty at the root). */
  baseUrl?: unknown;
  /** Express's matched route. */
  route?: { path?: unknown };
}

export function routeTemplate(request: ClientRequest | IncomingMessage): string | null {
  // An outgoing request is a writable ClientRequest; an incoming one (express's req) has no getHeader.
  if ('getHeader' in request) return null;
  const { baseUrl, route } = request as IncomingMessage & RoutedRequest;
  if (typeof route?.path !== 'string') return null;
  return `${typeof baseUrl === 'string' ? baseUrl : ''}${route.path}`;
}
