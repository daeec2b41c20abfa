/**
 * What can go wrong between the API and a provider, as answers in the error shape. Nothing a client or
 * a provider does here is a 500: a bad or replayed answer from the browser is a 400, a provider that
 * cannot be reached a 503 (try again), a provider that refuses this API's own client a 502 (a
 * configuration to fix). Programming errors (openid-client's argument TypeErrors) are left as they are.
 */
import * as oidc from 'openid-client';
import { AppError } from '../errors.js';
import { RETRY_AFTER_UNAVAILABLE_SECONDS } from '../unavailable.js';

/** openid-client error codes that mean the provider did not answer (in time, or sensibly at the HTTP level). */
const UNREACHABLE = new Set([
  'OAUTH_TIMEOUT',
  'OAUTH_ABORT',
  'OAUTH_RESPONSE_IS_NOT_CONFORM',
  'OAUTH_RESPONSE_IS_NOT_JSON',
]);
/** Codes that mean this API's configuration and the provider disagree. */
const MISCONFIGURED = new Set([
  'OAUTH_HTTP_REQUEST_FORBIDDEN',
  'OAUTH_REQUEST_PROTOCOL_FORBIDDEN',
  'OAUTH_MISSING_SERVER_METADATA',
  'OAUTH_INVALID_SERVER_METADATA',
  'OAUTH_UNSUPPORTED_OPERATION',
]);

/** An OAuth error code (RFC 6749 allows %x20-21 / %x23-5B / %x5D-7E) as sent, or a placeholder: it is echoed. */
const providerErrorCode = (value: unknown) =>
  typeof value === 'string' && /^[\x20\x21\x23-\x5B\x5D-\x7E]{1,64}$/.test(value) ? value : 'unknown';

/** The provider's own error stays on `cause`, for the log (api/sso/routes.ts); the client sees only the code. */
const withCause = (error: AppError, cause: unknown) => Object.assign(error, { cause });

const unavailable = (cause: unknown) =>
  withCause(
    new AppError(503, 'SSO_PROVIDER_UNAVAILABLE', 'The sign-in provider could not be reached; try again shortly', {
      retryAfterSeconds: RETRY_AFTER_UNAVAILABLE_SECONDS,
    }),
    cause,
  );

const failed = (cause: unknown) =>
  withCause(
    new AppError(502, 'SSO_PROVIDER_FAILED', 'The sign-in provider refused this service; an operator must look'),
    cause,
  );

/** A sign-in response that does not pass verification: nothing to retry with the same response. */
export const responseInvalid = () =>
  new AppError(400, 'SSO_RESPONSE_INVALID', 'The sign-in response did not pass verification: start again');

export function toSsoError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  if (error instanceof oidc.AuthorizationResponseError) {
    // The provider sent the browser back with an error: the user cancelled, or the provider refused.
    return new AppError(400, 'SSO_PROVIDER_ERROR', 'The sign-in provider did not sign you in', {
      providerError: providerErrorCode(error.error),
    });
  }
  if (error instanceof oidc.ResponseBodyError) {
    // invalid_grant: the code is unknown, used, expired, another client's, or its PKCE verifier does not match.
    if (error.error === 'invalid_grant') {
      return new AppError(400, 'SSO_CODE_REJECTED', 'The sign-in code was refused by the provider: start again');
    }
    return error.status >= 500 ? unavailable(error) : failed(error);
  }
  if (error instanceof oidc.WWWAuthenticateChallengeError) return failed(error); // userinfo refused a fresh token
  if (error instanceof oidc.ClientError) {
    if (UNREACHABLE.has(error.code ?? '')) return unavailable(error);
    if (MISCONFIGURED.has(error.code ?? '')) return failed(error);
    // The rest is verification: a state, issuer, nonce, signature or claim that is not what it must be.
    return responseInvalid();
  }
  // fetch's own failure (refused, reset, DNS): a TypeError with the network error as its cause.
  if (error instanceof TypeError && !('code' in error) && error.cause !== undefined) return unavailable(error);
  return error;
}
