/**
 * A session is what a sign-in hands out: a short-lived access token (a JWT, checked without any lookup)
 * and a refresh token (checked in Postgres, rotating) that gets the next ones. Password and SSO sign-ins
 * both end here, so both get the same pair.
 */
import { AppError } from '../errors.js';
import type { RefreshTokenStore } from './refresh-tokens.js';
import type { SessionTokens } from './responses.js';
import type { TokenService } from './tokens.js';

export interface Sessions {
  start(userId: string): Promise<SessionTokens>;
  /** 401 INVALID_REFRESH_TOKEN for a token that cannot be used, whatever the reason (see RefreshTokenStore.rotate). */
  refresh(refreshToken: string): Promise<SessionTokens>;
  /** Revokes the token's family; answers the same for any token, known or not. */
  end(refreshToken: string): Promise<void>;
}

/** Also the browser session's answer when it has no cookie to refresh with (api/accounts/session-routes.ts). */
export const invalidRefreshToken = () =>
  new AppError(401, 'INVALID_REFRESH_TOKEN', 'The refresh token is invalid, expired or revoked: sign in again');

export function createSessions(tokens: Pick<TokenService, 'issue'>, refreshTokens: RefreshTokenStore): Sessions {
  const pair = async (userId: string, refreshToken: string): Promise<SessionTokens> => ({
    ...(await tokens.issue(userId)),
    refreshToken,
    refreshTokenExpiresIn: refreshTokens.ttlSeconds,
  });
  return {
    start: async (userId) => pair(userId, await refreshTokens.start(userId)),
    async refresh(refreshToken) {
      const next = await refreshTokens.rotate(refreshToken);
      if (!next) throw invalidRefreshToken();
      return pair(next.userId, next.refreshToken);
    },
    end: (refreshToken) => refreshTokens.revokeFamilyOf(refreshToken),
  };
}
