import { useLocation } from 'preact-iso';

/**
 * An SSO sign-in that failed sends the browser back to the app with `?signInError=<CODE>` (the API's
 * error code), wherever it lands: say so, in plain words, with the way to try again.
 */
export function SignInError() {
  const { query } = useLocation();
  const code = query.signInError;
  if (!code) return null;
  return (
    <p class="error" role="alert" data-testid="sign-in-error">
      Signing in did not work ({code}). <a href="/sign-in">Try again</a>.
    </p>
  );
}
