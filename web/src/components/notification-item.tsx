import type { Schemas } from '../api/client';
import { when } from '../format';
import { notificationText } from '../notification-text';

/** One notification: what happened in plain words, where to act on it, when, and whether it is new. */
export function NotificationItem({ notification, unread }: { notification: Schemas['Notification']; unread: boolean }) {
  const { text, link } = notificationText(notification);
  return (
    <li class={unread ? 'notice unread' : 'notice'} data-testid="notification" data-type={notification.type}>
      <p>
        {unread && <strong class="tag">New</strong>} {text}
      </p>
      <p class="muted">
        <time dateTime={notification.createdAt}>{when(notification.createdAt)}</time>
        {link && (
          <>
            {' · '}
            <a href={link.href}>{link.label}</a>
          </>
        )}
      </p>
    </li>
  );
}
