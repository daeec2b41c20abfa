/**
 * The titles of the auctions and sales that orders and offers point to: those carry only ids, so the
 * pages read each title once (per page load) from the public auction and sale routes.
 */
import { api, call } from './api/client';

const known = new Map<string, Promise<string>>();

export function auctionTitle(id: string): Promise<string> {
  return remember(`auction:${id}`, () =>
    call(() => api.GET('/v1/auctions/{id}', { params: { path: { id } } })).then((a) => a.title),
  );
}

export function saleTitle(id: string): Promise<string> {
  return remember(`sale:${id}`, () =>
    call(() => api.GET('/v1/sales/{id}', { params: { path: { id } } })).then((s) => s.title),
  );
}

function remember(key: string, read: () => Promise<string>): Promise<string> {
  let title = known.get(key);
  if (!title) {
    // A failed read is forgotten, so the next page to ask tries again.
    title = read().catch((e: unknown) => {
      known.delete(key);
      throw e;
    });
    known.set(key, title);
  }
  return title;
}
