import { useLocation } from 'preact-iso';
import { sessionKnown } from '../session';

/** What a page for signed-in people shows to someone who is not (or not yet known to be). */
export function SignInFirst() {
  const { url } = useLocation();
  if (!sessionKnown.value) return <p aria-busy="true">Loading…</p>;
  return (
    <p>
      <a href={`/sign-in?next=${encodeURIComponent(url)}`}>Sign in</a> to see this page.
    </p>
  );
}
