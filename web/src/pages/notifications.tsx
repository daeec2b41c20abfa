/**
 * The inbox: every notification, newest first, in plain words with a link to act on it. New ones
 * arriving on the live stream (inbox.ts) go on top without a reload; "Mark all read" marks up to the
 * newest shown and sets the header's badge to what the API says is still unread.
 */
import { useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { ErrorNote } from '../components/error-note';
import { NotificationItem } from '../components/notification-item';
import { ShowMore } from '../components/show-more';
import { SignInFirst } from '../components/sign-in-first';
import { latest, unreadCount, type Notification } from '../inbox';
import { usePaged } from '../paged';
import { me } from '../session';
import { useAction } from '../use-action';

export function Notifications() {
  const user = me.value;
  const [readUpTo, setReadUpTo] = useState(0);
  const { busy, error, run } = useAction();
  const list = usePaged(async (cursor) => {
    const page = await call(() => api.GET('/v1/users/me/notifications', { params: { query: { cursor, limit: 20 } } }));
    if (cursor === undefined) unreadCount.value = page.unreadCount;
    return page;
  }, user?.id ?? null);
  if (!user) return <SignInFirst />;
  if (list.items === null) return list.error ? <ErrorNote error={list.error} /> : <p aria-busy="true">Loading…</p>;

  const shown = withArrivals(latest.value, list.items);
  const arrived = shown.length - list.items.length;
  const isUnread = (n: Notification) => n.readAt === null && n.id > readUpTo;
  const newest = shown[0]?.id;

  const markAllRead = async () => {
    if (newest === undefined) return;
    await run(async () => {
      const answer = await call(() => api.POST('/v1/users/me/notifications/read', { body: { upTo: newest } }));
      setReadUpTo(newest);
      unreadCount.value = answer.unreadCount;
    });
  };

  return (
    <section aria-labelledby="notifications-title">
      <h1 id="notifications-title">Notifications</h1>
      <div class="toolbar">
        <button type="button" disabled={busy || !shown.some(isUnread)} onClick={() => void markAllRead()}>
          Mark all read
        </button>
        <p role="status" class="muted">
          {arrived > 0 ? `${arrived} new since you opened this page.` : ''}
        </p>
      </div>
      <ErrorNote error={error} />
      {shown.length === 0 ? (
        <p>Nothing yet. Bids, wins, payments and offers will be told here.</p>
      ) : (
        <ol class="inbox" data-testid="notifications">
          {shown.map((n) => (
            <NotificationItem key={n.id} notification={n} unread={isUnread(n)} />
          ))}
        </ol>
      )}
      <ShowMore list={list} what="notifications" />
    </section>
  );
}

/** The live arrivals newer than the first page, on top of what was loaded (each once). */
function withArrivals(arrivals: Notification[], loaded: Notification[]): Notification[] {
  const newestLoaded = loaded[0]?.id ?? 0;
  const fresh = arrivals.filter((n) => n.id > newestLoaded);
  const ids = new Set<number>();
  return [...fresh.sort((a, b) => b.id - a.id), ...loaded].filter((n) => !ids.has(n.id) && ids.add(n.id));
}
