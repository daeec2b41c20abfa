/**
 * The person's webhooks: the list, adding one (its signing secret is shown once, in the answer to the
 * creation, and never again), removing one, and each one's deliveries on demand.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, call, type Schemas } from '../api/client';
import { when } from '../format';
import { TYPE_LABEL } from '../notification-types';
import { ErrorNote } from './error-note';
import { WebhookDeliveries } from './webhook-deliveries';
import { WebhookForm } from './webhook-form';

type Webhook = Schemas['Webhook'];

export function WebhooksPanel() {
  const [webhooks, setWebhooks] = useState<Webhook[] | null>(null);
  const [created, setCreated] = useState<Schemas['CreatedWebhook'] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    call(() => api.GET('/v1/users/me/webhooks')).then((list) => setWebhooks(list.items), setError);
  }, []);

  const remove = async (webhook: Webhook) => {
    setError(null);
    try {
      await call(() => api.DELETE('/v1/users/me/webhooks/{id}', { params: { path: { id: webhook.id } } }));
      setWebhooks((known) => known?.filter((w) => w.id !== webhook.id) ?? known);
      if (created?.id === webhook.id) setCreated(null);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <>
      {created && (
        <div class="secret" role="status" data-testid="webhook-secret">
          <p>
            <strong>Your webhook’s signing secret:</strong> <code>{created.secret}</code>
          </p>
          <p>
            It is shown only now: copy it and keep it where your receiver can read it, to check each delivery’s
            signature. Gavel cannot show it again; to get a new one, remove the webhook and add it again.
          </p>
          <button type="button" class="secondary" onClick={() => setCreated(null)}>
            I have kept it
          </button>
        </div>
      )}
      <ErrorNote error={error} />
      {webhooks === null ? (
        error ? null : (
          <p aria-busy="true">Loading your webhooks…</p>
        )
      ) : webhooks.length === 0 ? (
        <p class="muted">No webhooks yet.</p>
      ) : (
        <ul class="webhooks" data-testid="webhooks">
          {webhooks.map((webhook) => (
            <li key={webhook.id} class="card">
              <p>
                <code>{webhook.url}</code>
              </p>
              <p class="muted">
                {webhook.types.length === Object.keys(TYPE_LABEL).length
                  ? 'Every type'
                  : webhook.types.map((t) => TYPE_LABEL[t]).join(', ')}{' '}
                · added {when(webhook.createdAt)}
              </p>
              <p class="actions">
                <button
                  type="button"
                  class="secondary"
                  aria-expanded={open === webhook.id}
                  onClick={() => setOpen(open === webhook.id ? null : webhook.id)}
                >
                  {open === webhook.id ? 'Hide deliveries' : 'Show deliveries'}
                </button>{' '}
                <button type="button" class="danger" onClick={() => void remove(webhook)}>
                  Remove
                </button>
              </p>
              {open === webhook.id && <WebhookDeliveries webhookId={webhook.id} />}
            </li>
          ))}
        </ul>
      )}
      <h3>Add a webhook</h3>
      <WebhookForm
        onCreated={(webhook) => {
          setCreated(webhook);
          const listed: Webhook = {
            id: webhook.id,
            url: webhook.url,
            types: webhook.types,
            createdAt: webhook.createdAt,
          };
          setWebhooks((known) => [listed, ...(known ?? [])]);
        }}
      />
    </>
  );
}
