/**
 * The signed-in session with one API, as the commands use it: the stored access token while it is good,
 * a refreshed one when it is about to expire or the API refused it. A refresh token works once, so the
 * refresh runs under the store's lock, and first re-reads the store: if another command refreshed in
 * the meantime, its tokens are used, not the spent one. A refusal of the refresh token ends the session
 * here too (the file no longer holds it) and asks the person to sign in again (exit 3).
 */
import { NotSignedInError, type ApiRefusal } from './errors.js';
import { call, type ApiClient, type Schemas, type TokenSource } from './api/client.js';
import type { StoredSession, TokenStore } from './token-store.js';

/** Refresh this long before the access token's end, so it does not expire on the way. */
const EXPIRY_MARGIN_MS = 30_000;

const notSignedIn = (api: string) => new NotSignedInError(`You are not signed in to ${api}: run \`gavel login\` first`);
const ended = (api: string) =>
  new NotSignedInError(`Your session with ${api} has ended (signed out elsewhere, or expired): run \`gavel login\``);

function storedSessionOf(tokens: Schemas['SessionTokens'], now = Date.now()): StoredSession {
  return {
    accessToken: tokens.accessToken,
    accessTokenExpiresAt: new Date(now + tokens.expiresIn * 1000).toISOString(),
    refreshToken: tokens.refreshToken,
    refreshTokenExpiresAt: new Date(now + tokens.refreshTokenExpiresIn * 1000).toISOString(),
  };
}

export class Session implements TokenSource {
  constructor(
    private readonly store: TokenStore,
    private readonly api: string,
    private readonly client: ApiClient,
  ) {}

  /** The stored session, or null; expired refresh tokens count as none. */
  stored(): StoredSession | null {
    const session = this.store.read(this.api);
    if (!session || Date.parse(session.refreshTokenExpiresAt) <= Date.now()) return null;
    return session;
  }

  save(tokens: Schemas['SessionTokens'], user?: StoredSession['user']): void {
    this.store.write(this.api, { ...storedSessionOf(tokens), ...(user ? { user } : {}) });
  }

  forget(): void {
    this.store.remove(this.api);
  }

  async accessToken(): Promise<string> {
    const session = this.stored();
    if (!session) throw notSignedIn(this.api);
    if (Date.parse(session.accessTokenExpiresAt) - EXPIRY_MARGIN_MS > Date.now()) return session.accessToken;
    return this.refreshAfter(session.accessToken);
  }

  async refreshAfter(rejected: string): Promise<string> {
    return this.store.withLock(async () => {
      const session = this.stored();
      if (!session) throw ended(this.api);
      // Another command refreshed while this one waited for the lock: its token is the good one.
      if (session.accessToken !== rejected) return session.accessToken;
      let tokens: Schemas['SessionTokens'];
      try {
        tokens = await call(() =>
          this.client.POST('/v1/auth/refresh', { body: { refreshToken: session.refreshToken } }),
        );
      } catch (error) {
        if ((error as ApiRefusal).status === 401) {
          this.forget();
          throw ended(this.api);
        }
        throw error;
      }
      this.store.write(this.api, { ...storedSessionOf(tokens), ...(session.user ? { user: session.user } : {}) });
      return tokens.accessToken;
    });
  }
}
