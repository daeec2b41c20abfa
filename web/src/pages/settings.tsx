/** Notification settings and webhooks, for the signed-in person. */
import { NotificationSettingsForm } from '../components/notification-settings-form';
import { SignInFirst } from '../components/sign-in-first';
import { WebhooksPanel } from '../components/webhooks-panel';
import { me } from '../session';

export function Settings() {
  if (!me.value) return <SignInFirst />;
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <section aria-labelledby="notify-title">
        <h2 id="notify-title">Notifications</h2>
        <NotificationSettingsForm />
      </section>
      <section aria-labelledby="webhooks-title">
        <h2 id="webhooks-title">Webhooks</h2>
        <p class="muted">
          Gavel POSTs each notification of the chosen types to your https endpoint, signed (Standard Webhooks), and
          retries for a day until it answers 2xx.
        </p>
        <WebhooksPanel />
      </section>
    </section>
  );
}
