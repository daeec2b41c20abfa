import { api, call, type Schemas } from '../api/client';
import { textField } from '../form-data';
import { NOTIFICATION_TYPES, TYPE_LABEL } from '../notification-types';
import { useAction } from '../use-action';
import { ErrorNote } from './error-note';

/** Registers a webhook: where deliveries go and which types it receives. */
export function WebhookForm({ onCreated }: { onCreated: (webhook: Schemas['CreatedWebhook']) => void }) {
  const { busy, error, run } = useAction();
  return (
    <form
      class="narrow"
      onSubmit={async (event) => {
        event.preventDefault();
        const form = event.currentTarget;
        const data = new FormData(form);
        const types = NOTIFICATION_TYPES.filter((type) => data.get(`type:${type}`) !== null);
        await run(async () => {
          if (types.length === 0) throw new Error('Choose at least one notification type.');
          onCreated(
            await call(() => api.POST('/v1/users/me/webhooks', { body: { url: textField(data, 'url'), types } })),
          );
          form.reset();
        });
      }}
    >
      <label>
        Endpoint URL (https)
        <input name="url" type="url" required placeholder="https://hooks.example.com/gavel" autoComplete="off" />
      </label>
      <fieldset class="types">
        <legend>Notification types it receives</legend>
        {NOTIFICATION_TYPES.map((type) => (
          <label key={type} class="check">
            <input type="checkbox" name={`type:${type}`} defaultChecked /> {TYPE_LABEL[type]}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={busy}>
        Add webhook
      </button>
      <ErrorNote error={error} />
    </form>
  );
}
