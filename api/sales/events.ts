/**
 * GET /v1/sales/:id/events. On connect: a `snapshot` of the sale, or, for a client coming back with
 * Last-Event-ID, one `stock` event with the counts now when anything changed since (and `sold_out`,
 * `closed` or `cancelled` when that is the state); a sale's counts are its whole state, so nothing
 * between needs replaying. Then live `stock` (coalesced: coalesced-events.ts), `sold_out`, `closed` and
 * `cancelled` events. `id:` is the sale's version.
 */
import type { Request, Response } from 'express';
import { saleStatusAt, type SaleCounts, type SalePhase } from '../../domain/sales/sale.js';
import { saleKeys } from '../../lua/sale-store.js';
import { pathIdOf } from '../auctions/ids.js';
import { followChannel } from '../sse/follow-channel.js';
import { Heartbeat } from '../sse/heartbeat.js';
import { SseStream } from '../sse/stream.js';
import type { CoalescedSaleEvents } from './coalesced-events.js';
import { presentSale, saleWindowOf } from './presenter.js';
import type { SaleCountsEvent } from './responses.js';
import { saleLastEventId } from './schemas.js';
import { findSaleTerms, liveStateOf, type SaleDeps } from './service.js';

/** What the sale scripts publish (lua/claim-sale.lua, end-sale.lua, settle-holds.lua). */
interface PublishedEvent extends SaleCounts {
  type: 'stock' | 'sold_out' | 'closed' | 'cancelled';
  version: number;
}

const PHASE_OF: Record<PublishedEvent['type'], SalePhase> = {
  stock: 'open',
  sold_out: 'open',
  closed: 'closed',
  cancelled: 'cancelled',
};

/** The states a resuming client is told of by name, beside its `stock` event. */
const TERMINAL_OR_SOLD_OUT = new Set(['sold_out', 'closed', 'cancelled']);

export function saleEventsHandler(deps: SaleDeps, feed: CoalescedSaleEvents, heartbeatMs: number) {
  const heartbeat = new Heartbeat(heartbeatMs);
  return async (req: Request, res: Response) => {
    const terms = await findSaleTerms(deps, pathIdOf(req));
    const header = req.get('last-event-id');
    const resumeFrom = header === undefined ? null : saleLastEventId.parse(header);
    if (req.socket.destroyed) return; // gone during the lookup: nothing was opened for it
    const window = saleWindowOf(terms);
    const countsEvent = (phase: SalePhase, version: number, counts: SaleCounts): SaleCountsEvent => ({
      version,
      available: counts.available,
      held: counts.held,
      sold: counts.sold,
      status: saleStatusAt(phase, counts, window, Date.now()),
    });
    const stream = new SseStream(res);
    let lastVersion = -1;

    const deliver = (message: string) => {
      const event = JSON.parse(message) as PublishedEvent;
      if (event.version <= lastVersion) return; // already in what the client was sent on connect
      lastVersion = event.version;
      stream.send(event.type, countsEvent(PHASE_OF[event.type], event.version, event), event.version);
    };

    const following = await followChannel(res, {
      hub: feed,
      stream,
      heartbeat,
      channel: saleKeys(terms.id).events,
      deliver,
    });
    if (!following) return;

    // Read once subscribed (live events since are held), so nothing between is missed.
    const live = await liveStateOf(deps, terms.id);
    if (resumeFrom === null) {
      stream.send('snapshot', presentSale(terms, live), live.version);
    } else if (live.version > resumeFrom) {
      const data = countsEvent(live.phase, live.version, live.counts);
      stream.send('stock', data, live.version);
      if (TERMINAL_OR_SOLD_OUT.has(data.status)) stream.send(data.status, data, live.version);
    }
    lastVersion = Math.max(lastVersion, live.version);
    following.release();
  };
}
