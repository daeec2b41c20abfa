/**
 * The authorization code flow with PKCE (S256), as a relying party (openid-client does the protocol and
 * verifies the ID token: signature, issuer, audience, expiry, nonce):
 *
 * begin:    fresh state, nonce and PKCE verifier per attempt, kept server-side (attempts.ts); the browser
 *           is sent to the provider, and given the binding cookie (browser-binding.ts).
 * complete: the state is taken (once), must belong to this provider and come back with its binding; the
 *           code is traded for tokens; the identity is linked to an account (link-account.ts), whose
 *           session the routes start. The provider's tokens are not kept: they have done their job.
 */
import * as oidc from 'openid-client';
import { AppError } from '../errors.js';
import type { SsoAttempt, SsoAttempts } from './attempts.js';
import { bindingMatches, newBinding } from './browser-binding.js';
import { accountFor, type LinkDeps, type ProviderIdentity } from './link-account.js';
import { responseInvalid, toSsoError } from './provider-errors.js';
import type { SsoProvider, SsoProviders } from './providers.js';

export interface SsoFlowDeps {
  providers: SsoProviders;
  attempts: SsoAttempts;
  link: LinkDeps;
}

const MAX_SUBJECT = 255;

/** One answer for every way a state can be wrong, so a prober learns nothing from which it was. */
const stateInvalid = () =>
  new AppError(400, 'SSO_STATE_INVALID', 'This sign-in is unknown, expired, already used, or was started elsewhere');

/** Who started it, when not just any client (the web app, the command line); the callback answers accordingly. */
export type SsoStarter = Pick<SsoAttempt, 'client' | 'cli'>;

export async function beginSignIn(
  deps: SsoFlowDeps,
  provider: SsoProvider,
  starter: SsoStarter = {},
): Promise<{ authorizationUrl: URL; binding: string }> {
  const configuration = await provider.configuration();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const binding = newBinding();
  await deps.attempts.save(state, {
    providerId: provider.id,
    codeVerifier,
    nonce,
    bindingHash: binding.hash,
    ...starter,
  });
  const authorizationUrl = oidc.buildAuthorizationUrl(configuration, {
    redirect_uri: provider.settings.redirectUri,
    scope: provider.settings.scopes.join(' '),
    response_type: 'code',
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { authorizationUrl, binding: binding.value };
}

export interface TakenAttempt {
  state: string;
  attempt: SsoAttempt;
}

/**
 * The attempt the callback's `response` (its query as the provider wrote it) names, taken before
 * anything else is checked: whatever happens next, this state is spent. Null when it names none (no
 * state, several, or one unknown, expired or used). Apart from completeSignIn so the route knows who
 * started the sign-in (the attempt's `client`) even when completing it fails.
 */
export async function takeAttempt(
  deps: Pick<SsoFlowDeps, 'attempts'>,
  response: URLSearchParams,
): Promise<TakenAttempt | null> {
  const states = response.getAll('state');
  if (states.length !== 1) return null;
  const state = states[0]!;
  const attempt = await deps.attempts.take(state);
  return attempt && { state, attempt };
}

/**
 * The account the callback signs in to; `taken` is what takeAttempt found for `response`, `binding`
 * the cookie the browser brought. The caller starts the session (at once, or when a command line
 * redeems its code).
 */
export async function completeSignIn(
  deps: SsoFlowDeps,
  provider: SsoProvider,
  response: URLSearchParams,
  taken: TakenAttempt | null,
  binding: string | null,
): Promise<string> {
  if (!taken || taken.attempt.providerId !== provider.id || !bindingMatches(binding, taken.attempt.bindingHash)) {
    throw stateInvalid();
  }
  const { state, attempt } = taken;
  const configuration = await provider.configuration();
  // The configured redirect URI, not this request's URL: behind a proxy the two differ, and the token
  // request must repeat exactly the redirect_uri the authorization request named.
  const callbackUrl = new URL(provider.settings.redirectUri);
  callbackUrl.search = response.toString();
  try {
    const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
      pkceCodeVerifier: attempt.codeVerifier,
      expectedState: state,
      expectedNonce: attempt.nonce,
      idTokenExpected: true,
    });
    const identity = await identityOf(configuration, tokens, provider.settings.emailVerifiedClaim);
    return await accountFor(deps.link, identity);
  } catch (error) {
    throw toSsoError(error);
  }
}

/**
 * The ID token's subject and issuer, and the email (with email_verified) and name: from the ID token,
 * or, when it carries no email (providers may keep claims for userinfo in the code flow), from the
 * userinfo endpoint, whose answer openid-client checks belongs to the same subject.
 */
async function identityOf(
  configuration: oidc.Configuration,
  tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers,
  /** The provider's claim for "this email is verified" (OIDC_PROVIDERS' emailVerifiedClaim). */
  emailVerifiedClaim: string,
): Promise<ProviderIdentity> {
  const idToken = tokens.claims()!; // idTokenExpected: present, or authorizationCodeGrant threw
  // OpenID Connect caps sub at 255 ASCII characters; a longer one is refused rather than stored (and indexed).
  if (idToken.sub.length > MAX_SUBJECT) throw responseInvalid();
  let claims: Record<string, unknown> = idToken;
  if (idToken.email === undefined && configuration.serverMetadata().userinfo_endpoint) {
    claims = { ...(await oidc.fetchUserInfo(configuration, tokens.access_token, idToken.sub)), ...idToken };
  }
  return {
    issuer: idToken.iss,
    subject: idToken.sub,
    email: typeof claims.email === 'string' ? claims.email : undefined,
    emailVerified: claims[emailVerifiedClaim] === true,
    name: typeof claims.name === 'string' ? claims.name : undefined,
  };
}
