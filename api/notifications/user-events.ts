/**
 * GET /v1/users/me/events: the signed-in user's notifications, live (`notification` events, `id:` the
 * notification id). On connect with Last-Event-ID, the ones missed since are sent first, from the inbox;
 * live ones that arrive meanwhile are held and sent after, without repeats. Without it, an `unread`
 * event with the unread count opens the stream.
 */
import type { Request, Response } from 'express';
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { notifications } from '../../db/schema.js';
import { userNotificationsChannel } from '../../domain/notifications/live-channel.js';
import type { Notification } from '../../domain/notifications/types.js';
import { userIdOf } from '../auth/require-user.js';
import type { EventHub } from '../sse/hub.js';
import { followChannel } from '../sse/follow-channel.js';
import { Heartbeat } from '../sse/heartbeat.js';
import { SseStream } from '../sse/stream.js';
import { unreadCount } from './inbox.js';
import { toNotification } from '../../db/notification-rows.js';
import { notificationLastEventId } from './inbox-schemas.js';

/** Further behind than this, the client reads the inbox instead (GET /v1/users/me/notifications). */
const MAX_REPLAY = 500;

export function userEventsHandler(db: Database, hub: EventHub, heartbeatMs: number) {
  const heartbeat = new Heartbeat(heartbeatMs);
  return async (req: Request, res: Response) => {
    const userId = userIdOf(res);
    const header = req.get('last-event-id');
    const resumeFrom = header === undefined ? null : notificationLastEventId.parse(header);
    const stream = new SseStream(res);
    let lastId = resumeFrom ?? 0;
    const deliver = (notification: Notification) => {
      if (notification.id <= lastId) return;
      lastId = notification.id;
      stream.send('notification', notification, notification.id);
    };

    const following = await followChannel(res, {
      hub,
      stream,
      heartbeat,
      channel: userNotificationsChannel(userId),
      deliver: (message) => deliver(JSON.parse(message) as Notification),
    });
    if (!following) return;

    // Subscribed first, then read: a notification stored meanwhile is in the read or in `held`.
    if (resumeFrom !== null) {
      const missed = await db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, userId), gt(notifications.id, resumeFrom)))
        .orderBy(asc(notifications.id))
        .limit(MAX_REPLAY);
      for (const row of missed) deliver(toNotification(row));
    } else {
      stream.send('unread', { unreadCount: await unreadCount(db, userId) });
    }
    following.release();
  };
}
