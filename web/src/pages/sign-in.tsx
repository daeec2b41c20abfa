import { textField } from '../form-data';
import { useLocation } from 'preact-iso';
import { ErrorNote } from '../components/error-note';
import { SsoButtons } from '../components/sso-buttons';
import { signIn } from '../session';
import { useAction } from '../use-action';

/** Where to go after signing in: only a path on this site, never another origin. */
export const safeNext = (next: string | undefined) =>
  next && next.startsWith('/') && !next.startsWith('//') ? next : '/';

export function SignIn() {
  const { query, route } = useLocation();
  const { busy, error, run } = useAction();
  return (
    <section class="narrow" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          const data = new FormData(event.currentTarget);
          await run(async () => {
            await signIn(textField(data, 'email'), textField(data, 'password'));
            route(safeNext(query.next));
          });
        }}
      >
        <label>
          Email
          <input type="email" name="email" autoComplete="username" required />
        </label>
        <label>
          Password
          <input type="password" name="password" autoComplete="current-password" required />
        </label>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      <ErrorNote error={error} />
      <SsoButtons />
      <p>
        New here? <a href="/sign-up">Create an account</a>
      </p>
    </section>
  );
}
