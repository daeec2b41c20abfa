/** The inbox, the live notification stream and its tickets, and the one-click unsubscribe. */
import { Router, type RequestHandler } from 'express';
import type { Database } from '../../db/pool.js';
import { userIdOf } from '../auth/require-user.js';
import type { EventHub } from '../sse/hub.js';
import { listInbox, markRead } from './inbox.js';
import { inboxQuery, markReadBody } from './inbox-schemas.js';
import type { StreamTickets } from './stream-tickets.js';
import { streamUser } from './stream-user.js';
import { unsubscribeOneClick, unsubscribePage } from './unsubscribe.js';
import { userEventsHandler } from './user-events.js';

export interface InboxDeps {
  db: Database;
  hub: EventHub;
  tickets: StreamTickets;
  sseHeartbeatMs: number;
  /** Checks the unsubscribe links' signatures (NOTIFICATION_LINK_SECRET). */
  linkSecret: string;
}

export const UNSUBSCRIBE_PATH = '/v1/notifications/unsubscribe';

export function inboxRoutes(deps: InboxDeps, requireUser: RequestHandler): Router {
  const router = Router();

  router.get('/v1/users/me/notifications', requireUser, async (req, res) => {
    res.json(await listInbox(deps.db, userIdOf(res), inboxQuery.parse(req.query)));
  });

  router.post('/v1/users/me/notifications/read', requireUser, async (req, res) => {
    res.json(await markRead(deps.db, userIdOf(res), markReadBody.parse(req.body)));
  });

  router.post('/v1/users/me/events/ticket', requireUser, async (_req, res) => {
    res
      .status(201)
      .set('Cache-Control', 'no-store')
      .json(await deps.tickets.issue(userIdOf(res)));
  });

  router.get(
    '/v1/users/me/events',
    streamUser(deps.tickets, requireUser),
    userEventsHandler(deps.db, deps.hub, deps.sseHeartbeatMs),
  );

  router.get(UNSUBSCRIBE_PATH, unsubscribePage(deps.linkSecret));
  router.post(UNSUBSCRIBE_PATH, unsubscribeOneClick(deps.db, deps.linkSecret));

  return router;
}
