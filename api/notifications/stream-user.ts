/**
 * Who a live notification stream is for: the user of a stream ticket (?ticket=, what a browser's
 * EventSource uses) or of a bearer token. A ticket that is unknown, used or expired is a 401; it never
 * falls back to anonymous. Sets res.locals.userId once, so the stream cap and the route agree.
 */
import type { RequestHandler } from 'express';
import { AppError } from '../errors.js';
import type { StreamTickets } from './stream-tickets.js';
import { userEventsQuery } from './inbox-schemas.js';

export function streamUser(tickets: StreamTickets, requireUser: RequestHandler): RequestHandler {
  return async (req, res, next) => {
    if (typeof res.locals.userId === 'string') return next();
    const { ticket } = userEventsQuery.parse(req.query);
    if (ticket === undefined) return requireUser(req, res, next);
    const userId = await tickets.redeem(ticket);
    if (userId === null) {
      throw new AppError(401, 'INVALID_TICKET', 'The stream ticket is unknown, used or expired: ask for a new one');
    }
    res.locals.userId = userId;
    next();
  };
}
