import { textField } from '../form-data';
import { useLocation } from 'preact-iso';
import { api, call } from '../api/client';
import { ErrorNote } from '../components/error-note';
import { SsoButtons } from '../components/sso-buttons';
import { signIn } from '../session';
import { useAction } from '../use-action';

export function SignUp() {
  const { route } = useLocation();
  const { busy, error, run } = useAction();
  return (
    <section class="narrow" aria-labelledby="sign-up-title">
      <h1 id="sign-up-title">Create an account</h1>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          const data = new FormData(event.currentTarget);
          const email = textField(data, 'email');
          const password = textField(data, 'password');
          await run(async () => {
            await call(() =>
              api.POST('/v1/users', { body: { email, password, displayName: textField(data, 'displayName') } }),
            );
            await signIn(email, password);
            route('/');
          });
        }}
      >
        <label>
          Name others see
          <input name="displayName" autoComplete="nickname" required maxLength={100} />
        </label>
        <label>
          Email
          <input type="email" name="email" autoComplete="email" required />
        </label>
        <label>
          Password
          <input
            type="password"
            name="password"
            autoComplete="new-password"
            required
            minLength={8}
            aria-describedby="password-help"
          />
        </label>
        <p id="password-help" class="muted">
          At least 8 characters.
        </p>
        <button type="submit" disabled={busy}>
          Create account
        </button>
      </form>
      <ErrorNote error={error} />
      <SsoButtons />
      <p>
        Already have an account? <a href="/sign-in">Sign in</a>
      </p>
    </section>
  );
}
