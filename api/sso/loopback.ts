/**
 * Where a command-line sign-in (`client=cli`) ends: a page served by the program itself on the person's
 * own machine, as OAuth does for native apps (RFC 8252 §7.3, the loopback interface redirection). Only
 * `http://127.0.0.1:<port>/<path>` or `http://localhost:<port>/<path>` is taken, with an explicit port and
 * no credentials, query or fragment, written exactly as a URL parser writes it back (so the browser
 * reads the address the API checked, not another one hidden in odd spelling). Whatever listens there
 * gets only a one-time code that is worthless without the PKCE verifier its starter holds (cli-codes.ts).
 */
export const MAX_REDIRECT_URI = 512;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

export function isLoopbackRedirect(text: string): boolean {
  if (text.length > MAX_REDIRECT_URI) return false;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return (
    url.href === text &&
    url.protocol === 'http:' &&
    LOOPBACK_HOSTS.has(url.hostname) &&
    url.port !== '' &&
    url.username === '' &&
    url.password === '' &&
    url.search === '' &&
    url.hash === ''
  );
}

/** The redirect URI with the sign-in's outcome (`code`, or `error`) and the starter's `state` added. */
export function loopbackLocation(redirectUri: string, state: string, outcome: { code: string } | { error: string }) {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(outcome)) url.searchParams.set(name, value);
  url.searchParams.set('state', state);
  return url.href;
}
