/**
 * Which notification types go to which channel, and how early "ending soon" comes. The inbox keeps
 * everything (the API refuses to turn it off), so its column is shown checked and fixed.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, call, type Schemas } from '../api/client';
import {
  CHANNELS,
  CHANNEL_LABEL,
  NOTIFICATION_TYPES,
  TYPE_LABEL,
  type Channel,
  type NotificationType,
} from '../notification-types';
import { useAction } from '../use-action';
import { ErrorNote } from './error-note';

type Settings = Schemas['NotificationSettings'];
type Minutes = Settings['endingSoonMinutes'];

const MINUTES: { value: Minutes; label: string }[] = [
  { value: 1, label: '1 minute' },
  { value: 5, label: '5 minutes' },
  { value: 15, label: '15 minutes' },
  { value: 60, label: '1 hour' },
  { value: 180, label: '3 hours' },
  { value: 1440, label: '1 day' },
];

export function NotificationSettingsForm() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { busy, error: saveError, run } = useAction();
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    call(() => api.GET('/v1/users/me/notification-settings')).then(setSettings, setError);
  }, []);
  if (!settings) return error ? <ErrorNote error={error} /> : <p aria-busy="true">Loading your settings…</p>;

  const toggle = (channel: Channel, type: NotificationType, on: boolean) => {
    setSaved(false);
    const carried = settings.channels[channel].filter((t) => t !== type);
    setSettings({
      ...settings,
      channels: { ...settings.channels, [channel]: on ? [...carried, type] : carried },
    });
  };
  const save = async () => {
    setSaved(false);
    await run(async () => {
      const { live, email, webhook } = settings.channels;
      setSettings(
        await call(() =>
          api.PUT('/v1/users/me/notification-settings', {
            body: { channels: { live, email, webhook }, endingSoonMinutes: settings.endingSoonMinutes },
          }),
        ),
      );
      setSaved(true);
    });
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <table class="matrix" data-testid="notification-settings">
        <caption class="visually-hidden">Which notifications go to which channel</caption>
        <thead>
          <tr>
            <th scope="col">Notification</th>
            {CHANNELS.map((channel) => (
              <th key={channel} scope="col">
                {CHANNEL_LABEL[channel]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {NOTIFICATION_TYPES.map((type) => (
            <tr key={type}>
              <th scope="row">{TYPE_LABEL[type]}</th>
              {CHANNELS.map((channel) => (
                <td key={channel}>
                  <input
                    type="checkbox"
                    name={`${channel}:${type}`}
                    aria-label={`${TYPE_LABEL[type]} by ${CHANNEL_LABEL[channel]}`}
                    checked={channel === 'inbox' || settings.channels[channel].includes(type)}
                    disabled={channel === 'inbox'}
                    onChange={(e) => toggle(channel, type, e.currentTarget.checked)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted">The inbox keeps every notification. Webhooks also receive only the types each was made for.</p>
      <label class="narrow">
        Tell me an auction is ending soon
        <select
          name="endingSoonMinutes"
          value={String(settings.endingSoonMinutes)}
          onChange={(e) => {
            setSaved(false);
            const chosen = MINUTES.find((m) => String(m.value) === e.currentTarget.value);
            if (chosen) setSettings({ ...settings, endingSoonMinutes: chosen.value });
          }}
        >
          {MINUTES.map((m) => (
            <option key={m.value} value={String(m.value)}>
              {m.label} before the end
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={busy}>
        Save notification settings
      </button>
      <p role="status" class="muted">
        {saved ? 'Saved.' : ''}
      </p>
      <ErrorNote error={saveError} />
    </form>
  );
}
