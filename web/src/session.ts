/**
 * The browser session (docs/SECURITY.md, "Sessions in a browser"): the access token lives only in this
 * module's memory, never in storage a script could read later; the refresh token is an HttpOnly cookie
 * that only the /v1/auth/session routes ever see. On load, and shortly before the access token expires,
 * the page asks POST /v1/auth/session/refresh for a new one. Refresh tokens rotate and a reused one
 * revokes the whole session, so the tabs of one browser take turns (Web Locks): each refresh then
 * sends the cookie the previous one set.
 */
import { signal } from '@preact/signals';
import { toApiError } from './api/errors';
import type { components } from './api/schema';

/** The signed-in account as GET /v1/users/me answers it: its role (for the admin area) and block. */
type User = components['schemas']['Me'];
/** What the session routes answer: the access token only (the refresh token stays in its cookie). */
type AccessToken = components['schemas']['AccessToken'];

export const accessToken = signal<string | null>(null);
export const me = signal<User | null>(null);
/** False until the first refresh has answered: pages wait for it before deciding "signed out". */
export const sessionKnown = signal(false);

const CLIENT_HEADER = { 'X-Gavel-Client': 'web' };
const REFRESH_EARLY_MS = 30_000;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

async function adopt(tokens: AccessToken): Promise<void> {
  accessToken.value = tokens.accessToken;
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => void refreshSession(), Math.max(5_000, tokens.expiresIn * 1000 - REFRESH_EARLY_MS));
  const answer = await fetch('/v1/users/me', { headers: { Authorization: `Bearer ${tokens.accessToken}` } });
  me.value = answer.ok ? ((await answer.json()) as User) : null;
}

function forget(): void {
  clearTimeout(refreshTimer);
  accessToken.value = null;
  me.value = null;
}

const inTurn = <T>(work: () => Promise<T>): Promise<T> =>
  'locks' in navigator ? (navigator.locks.request('gavel-session-refresh', work) as Promise<T>) : work();

/** A new access token from the refresh cookie; false (and signed out) when there is no session. */
export function refreshSession(): Promise<boolean> {
  return inTurn(async () => {
    try {
      const answer = await fetch('/v1/auth/session/refresh', { method: 'POST', headers: CLIENT_HEADER });
      if (!answer.ok) {
        // Drop the unread body, so the request ends (Lighthouse saw it still open, waiting for the page to load).
        await answer.body?.cancel();
        forget();
        return false;
      }
      await adopt((await answer.json()) as AccessToken);
      return true;
    } catch {
      return accessToken.value !== null; // offline: keep what we have, the next call will tell
    } finally {
      sessionKnown.value = true;
    }
  });
}

/**
 * On load: a refresh only when the server's readable hint (`gavel_signed_in`, set and cleared with the
 * HttpOnly session cookie) says a session may exist; a visitor who never signed in is signed out at once,
 * without a refused request. The hint decides nothing: a stale one costs one 401, which clears it.
 */
export function resumeSession(): Promise<boolean> {
  if (!document.cookie.split('; ').some((cookie) => cookie.startsWith('gavel_signed_in='))) {
    sessionKnown.value = true;
    return Promise.resolve(false);
  }
  return refreshSession();
}

/** Signs in with a password; throws the API's error as an ApiError (wrong password, too many attempts). */
export async function signIn(email: string, password: string): Promise<void> {
  const answer = await fetch('/v1/auth/session', {
    method: 'POST',
    headers: { ...CLIENT_HEADER, 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body: unknown = await answer.json();
  if (!answer.ok) throw toApiError(answer.status, body);
  await adopt(body as AccessToken);
}

export async function signOut(): Promise<void> {
  await fetch('/v1/auth/session', { method: 'DELETE', headers: CLIENT_HEADER });
  forget();
}

/** After the account is deleted, the session is gone on the server too. */
export const forgetSession = forget;
