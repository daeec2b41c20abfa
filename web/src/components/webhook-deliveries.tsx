import { api, call } from '../api/client';
import { when } from '../format';
import { TYPE_LABEL } from '../notification-types';
import { usePaged } from '../paged';
import { ShowMore } from './show-more';

const STATUS = { pending: 'Pending', delivered: 'Delivered', failed: 'Gave up' } as const;

/** A webhook's deliveries, newest first, each with its attempts and what the receiver answered. */
export function WebhookDeliveries({ webhookId }: { webhookId: string }) {
  const list = usePaged(
    (cursor) =>
      call(() =>
        api.GET('/v1/users/me/webhooks/{id}/deliveries', {
          params: { path: { id: webhookId }, query: { cursor, limit: 10 } },
        }),
      ),
    webhookId,
  );
  if (list.items === null)
    return list.error ? <ShowMore list={list} what="deliveries" /> : <p aria-busy="true">Loading…</p>;
  return (
    <div data-testid="deliveries">
      {list.items.length === 0 ? (
        <p class="muted">No deliveries yet.</p>
      ) : (
        <ul class="deliveries">
          {list.items.map((delivery) => (
            <li key={delivery.id}>
              <p>
                <strong>{TYPE_LABEL[delivery.type]}</strong> · {STATUS[delivery.status]}
                <span class="muted">
                  {' '}
                  · {when(delivery.createdAt)}
                  {delivery.status === 'pending' &&
                    delivery.nextAttemptAt &&
                    ` · next try ${when(delivery.nextAttemptAt)}`}
                </span>
              </p>
              {delivery.attempts.length > 0 && (
                <ol class="attempts">
                  {delivery.attempts.map((attempt) => (
                    <li key={attempt.attempt}>
                      {when(attempt.attemptedAt)}: {attempt.status === null ? 'no answer' : `HTTP ${attempt.status}`} in{' '}
                      {attempt.durationMs} ms
                      {attempt.response && <code class="response">{attempt.response}</code>}
                    </li>
                  ))}
                </ol>
              )}
            </li>
          ))}
        </ul>
      )}
      <ShowMore list={list} what="deliveries" />
    </div>
  );
}
