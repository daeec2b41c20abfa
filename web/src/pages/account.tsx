import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, call } from '../api/client';
import { ErrorNote } from '../components/error-note';
import { SignInFirst } from '../components/sign-in-first';
import { when } from '../format';
import { forgetSession, me } from '../session';

export function Account() {
  const { route } = useLocation();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const user = me.value;
  if (!user) return <SignInFirst />;
  return (
    <section class="narrow" aria-labelledby="account-title">
      <h1 id="account-title">Your account</h1>
      <dl class="terms">
        <dt>Name</dt>
        <dd>{user.displayName}</dd>
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Member since</dt>
        <dd>{when(user.createdAt)}</dd>
      </dl>
      <p>
        <a href="/me/settings">Notification settings and webhooks</a>
      </p>
      <h2>Delete the account</h2>
      <p>Your name and email are removed; auctions you won or sold keep their records without them.</p>
      {confirming ? (
        <p>
          <button
            type="button"
            class="danger"
            onClick={async () => {
              try {
                await call(() => api.DELETE('/v1/users/me'));
                forgetSession();
                route('/');
              } catch (e) {
                setError(e);
              }
            }}
          >
            Yes, delete my account
          </button>{' '}
          <button type="button" class="secondary" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </p>
      ) : (
        <button type="button" class="danger" onClick={() => setConfirming(true)}>
          Delete my account
        </button>
      )}
      <ErrorNote error={error} />
    </section>
  );
}
