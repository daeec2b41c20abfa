/**
 * Sign-in with SSO (OpenID Connect):
 *   GET /v1/auth/sso                      the configured providers
 *   GET /v1/auth/sso/:provider/start      302 to the provider, with the binding cookie
 *   GET /v1/auth/sso/:provider/callback   where the provider sends the browser back: the session tokens
 * Start is a redirect, not JSON with a URL: a sign-in link or button is then plain navigation, and the
 * binding cookie is set on the very response that sends the browser away (docs/decisions.md).
 *
 * Started with `client=web` (the web app), the callback answers the browser, not a program: it sets the
 * browser-session cookie (api/auth/browser-session.ts) and sends the browser back to the app, 303 to `/`,
 * where the app trades the cookie for an access token (POST /v1/auth/session/refresh); a failure goes
 * to `/?signInError=<code>`. The tokens never appear in a page or a URL. What fails before the attempt
 * is found (an unknown provider, a malformed query, a state unknown or used) cannot tell who started it,
 * and is answered as JSON, as for any client.
 */
import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { setSessionCookie } from '../auth/browser-session.js';
import { noStore } from '../auth/no-store.js';
import type { SessionTokens } from '../auth/responses.js';
import { AppError } from '../errors.js';
import { isDependencyUnavailable, RETRY_AFTER_UNAVAILABLE_SECONDS } from '../unavailable.js';
import { bindingOf, clearBindingCookie, setBindingCookie } from './browser-binding.js';
import type { SsoProvider } from './providers.js';
import { callbackQuery, startQuery } from './schemas.js';
import { beginSignIn, completeSignIn, takeAttempt, type SsoFlowDeps } from './sign-in-flow.js';

export interface SsoRouteDeps extends SsoFlowDeps {
  /** How long the binding cookie lives: as long as the attempt it binds (SSO_ATTEMPT_TTL_SECONDS). */
  attemptTtlSeconds: number;
  logger: Logger;
}

const providerOf = (deps: SsoRouteDeps, req: Request) =>
  deps.providers.get(typeof req.params.provider === 'string' ? req.params.provider : '');

/** The cookie is Secure when the provider sends browsers back over https (every deployment but a laptop). */
const isSecure = (provider: SsoProvider) => provider.settings.redirectUri.startsWith('https:');

/**
 * A provider that cannot be reached is a 503 like a dependency that is down, with Retry-After. Its
 * failures are logged with the provider's own error (an operator's business: the client gets a code).
 */
async function answering<T>(
  deps: SsoRouteDeps,
  provider: SsoProvider,
  res: Response,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError && error.status >= 500) {
      deps.logger.warn({ err: error.cause ?? error, provider: provider.id, code: error.code }, 'SSO provider failed');
      if (error.status === 503) res.set('Retry-After', String(RETRY_AFTER_UNAVAILABLE_SECONDS));
    }
    throw error;
  }
}

/** Where the web app lives: the API serves it from the same origin. */
const APP_HOME = '/';

/**
 * A web sign-in's failure, as the code the app shows (`/?signInError=<code>`): the AppError's, or
 * UNAVAILABLE for a dependency that is down (logged here, as the error handler would). Anything else
 * is a bug: null, and it goes to the error handler (a 500, logged with its stack).
 */
function webErrorCode(deps: SsoRouteDeps, error: unknown): string | null {
  if (error instanceof AppError) return error.code;
  if (!isDependencyUnavailable(error)) return null;
  deps.logger.warn({ err: error }, 'a dependency is unavailable');
  return 'UNAVAILABLE';
}

/** The web app's answer (see the top): the cookie and 303 to the app, or 303 to the app with the error. */
async function answerWebApp(
  deps: SsoRouteDeps,
  req: Request,
  res: Response,
  secure: boolean,
  signIn: () => Promise<SessionTokens>,
): Promise<void> {
  let session: SessionTokens;
  try {
    session = await signIn();
  } catch (error) {
    const code = webErrorCode(deps, error);
    if (code === null) throw error;
    noStore(res).redirect(303, `${APP_HOME}?${new URLSearchParams({ signInError: code }).toString()}`);
    return;
  }
  // Secure also when a proxy ends TLS without TRUST_PROXY: an https redirect URI says the browser used https.
  setSessionCookie(res, session, req.secure || secure);
  noStore(res).redirect(303, APP_HOME);
}

export function ssoRoutes(deps: SsoRouteDeps): Router {
  const router = Router();

  router.get('/v1/auth/sso', (_req, res) => {
    res.json({ providers: deps.providers.list() });
  });

  router.get('/v1/auth/sso/:provider/start', async (req, res) => {
    const provider = providerOf(deps, req);
    const { client } = startQuery.parse(req.query);
    const { authorizationUrl, binding } = await answering(deps, provider, res, () =>
      beginSignIn(deps, provider, client),
    );
    setBindingCookie(res, provider.id, binding, { secure: isSecure(provider), maxAgeSeconds: deps.attemptTtlSeconds });
    noStore(res).redirect(302, authorizationUrl.href);
  });

  router.get('/v1/auth/sso/:provider/callback', async (req, res) => {
    const provider = providerOf(deps, req);
    callbackQuery.parse(req.query);
    // The query exactly as the provider wrote it (express's parsed req.query is not that).
    const response = new URL(req.originalUrl, 'http://callback.invalid').searchParams;
    clearBindingCookie(res, provider.id, isSecure(provider)); // on every answer: the attempt is spent either way
    const taken = await takeAttempt(deps, response);
    const signIn = () =>
      answering(deps, provider, res, () => completeSignIn(deps, provider, response, taken, bindingOf(req)));
    if (taken?.attempt.client === 'web') return answerWebApp(deps, req, res, isSecure(provider), signIn);
    noStore(res).json(await signIn());
  });

  return router;
}
