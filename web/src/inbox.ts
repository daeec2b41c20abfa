/**
 * The signed-in person's live notifications: the unread count for the header's badge, and the newest
 * notifications for whoever listens (the auction page shows "outbid" from here too). The stream needs a
 * one-use ticket (an EventSource cannot send a token), so when it drops, a fresh ticket reopens it.
 */
import { effect, signal } from '@preact/signals';
import type { components } from './api/schema';
import { api, call } from './api/client';
import { accessToken, me } from './session';

export type Notification = components['schemas']['Notification'];

export const unreadCount = signal(0);
export const latest = signal<Notification[]>([]);

const RETRY_MS = 3_000;
let source: EventSource | null = null;
let retry: ReturnType<typeof setTimeout> | undefined;
let lastId = '';

function close(): void {
  clearTimeout(retry);
  source?.close();
  source = null;
}

async function open(): Promise<void> {
  close();
  try {
    const { ticket } = await call(() => api.POST('/v1/users/me/events/ticket'));
    if (me.value === null) return;
    const url = `/v1/users/me/events?ticket=${encodeURIComponent(ticket)}`;
    source = new EventSource(url);
    source.addEventListener('unread', (event: MessageEvent<string>) => {
      unreadCount.value = (JSON.parse(event.data) as { unreadCount: number }).unreadCount;
    });
    source.addEventListener('notification', (event: MessageEvent<string>) => {
      if (event.lastEventId === lastId) return;
      lastId = event.lastEventId;
      const notification = JSON.parse(event.data) as Notification;
      latest.value = [notification, ...latest.value].slice(0, 20);
      if (notification.readAt === null) unreadCount.value += 1;
    });
    // A ticket works once: the browser's own reconnect would present the spent one, so take over.
    source.onerror = () => {
      close();
      retry = setTimeout(() => void open(), RETRY_MS);
    };
  } catch {
    retry = setTimeout(() => void open(), RETRY_MS);
  }
}

/** Follows the stream while someone is signed in. */
effect(() => {
  const signedIn = me.value !== null && accessToken.value !== null;
  if (signedIn && source === null) void open();
  if (!signedIn) {
    close();
    unreadCount.value = 0;
    latest.value = [];
  }
});
