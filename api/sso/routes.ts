/**
 * Sign-in with SSO (OpenID Connect):
 *   GET /v1/auth/sso                      the configured providers
 *   GET /v1/auth/sso/:provider/start      302 to the provider, with the binding cookie
 *   GET /v1/auth/sso/:provider/callback   where the provider sends the browser back: the session tokens
 *   POST /v1/auth/sso/token               a command-line sign-in's one-time code, for the session tokens
 * Start is a redirect, not JSON with a URL: a sign-in link or button is then plain navigation, and the
 * binding cookie is set on the very response that sends the browser away (docs/decisions.md).
 *
 * Started with `client=web` (the web app), the callback answers the browser, not a program: it sets the
 * browser-session cookie (api/auth/browser-session.ts) and sends the browser back to the app, 303 to `/`,
 * where the app trades the cookie for an access token (POST /v1/auth/session/refresh); a failure goes
 * to `/?signInError=<code>`. The tokens never appear in a page or a URL. What fails before the attempt
 * is found (an unknown provider, a malformed query, a state unknown or used) cannot tell who started it,
 * and is answered as JSON, as for any client.
 *
 * Started with `client=cli` (a program on the person's machine, RFC 8252), the callback sends the browser
 * to the program's loopback `redirect_uri` with a one-time code (cli-codes.ts) and the program's `state`,
 * or with `error=<code>`; the program trades the code, with its PKCE verifier, at POST /v1/auth/sso/token.
 * The session starts only then, so a code nobody redeems leaves no session behind.
 */
import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { setSessionCookie } from '../auth/browser-session.js';
import { noStore } from '../auth/no-store.js';
import type { SessionTokens } from '../auth/responses.js';
import type { Sessions } from '../auth/sessions.js';
import { AppError } from '../errors.js';
import { isDependencyUnavailable, RETRY_AFTER_UNAVAILABLE_SECONDS } from '../unavailable.js';
import type { SsoAttempt } from './attempts.js';
import { bindingOf, clearBindingCookie, setBindingCookie } from './browser-binding.js';
import type { SsoCliCodes } from './cli-codes.js';
import { loopbackLocation } from './loopback.js';
import type { SsoProvider } from './providers.js';
import { callbackQuery, cliCodeBody, startQuery } from './schemas.js';
import { beginSignIn, completeSignIn, takeAttempt, type SsoFlowDeps, type SsoStarter } from './sign-in-flow.js';

export interface SsoRouteDeps extends SsoFlowDeps {
  sessions: Pick<Sessions, 'start'>;
  cliCodes: SsoCliCodes;
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
 * A web or command-line sign-in's failure, as the code its redirect carries (`/?signInError=<code>`,
 * `?error=<code>`): the AppError's, or UNAVAILABLE for a dependency that is down (logged here, as the
 * error handler would). Anything else is a bug: null, and it goes to the error handler (a 500, logged
 * with its stack).
 */
function redirectErrorCode(deps: SsoRouteDeps, error: unknown): string | null {
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
    const code = redirectErrorCode(deps, error);
    if (code === null) throw error;
    noStore(res).redirect(303, `${APP_HOME}?${new URLSearchParams({ signInError: code }).toString()}`);
    return;
  }
  // Secure also when a proxy ends TLS without TRUST_PROXY: an https redirect URI says the browser used https.
  setSessionCookie(res, session, req.secure || secure);
  noStore(res).redirect(303, APP_HOME);
}

/** A command-line sign-in's answer (see the top): 303 to its loopback page with a one-time code, or the error. */
async function answerCommandLine(
  deps: SsoRouteDeps,
  res: Response,
  cli: NonNullable<SsoAttempt['cli']>,
  signIn: () => Promise<string>,
): Promise<void> {
  let outcome: { code: string } | { error: string };
  try {
    const userId = await signIn();
    outcome = { code: await deps.cliCodes.issue({ userId, codeChallenge: cli.codeChallenge }) };
  } catch (error) {
    const code = redirectErrorCode(deps, error);
    if (code === null) throw error;
    outcome = { error: code };
  }
  noStore(res).redirect(303, loopbackLocation(cli.redirectUri, cli.state, outcome));
}

/** What the start's query says about who started the sign-in, as the attempt keeps it. */
function starterOf(query: ReturnType<typeof startQuery.parse>): SsoStarter {
  if (query.client !== 'cli') return query.client === undefined ? {} : { client: query.client };
  // startQuery requires the three with client=cli.
  const cli = { redirectUri: query.redirect_uri!, state: query.state!, codeChallenge: query.code_challenge! };
  return { client: 'cli', cli };
}

/** 401, as for a refresh token that does not work: the code is a credential, and this one is no good. */
const codeInvalid = () =>
  new AppError(
    401,
    'SSO_CODE_INVALID',
    'This sign-in code is unknown, expired, already used, or does not match its verifier: sign in again',
  );

export function ssoRoutes(deps: SsoRouteDeps): Router {
  const router = Router();

  router.get('/v1/auth/sso', (_req, res) => {
    res.json({ providers: deps.providers.list() });
  });

  router.get('/v1/auth/sso/:provider/start', async (req, res) => {
    const provider = providerOf(deps, req);
    const starter = starterOf(startQuery.parse(req.query));
    const { authorizationUrl, binding } = await answering(deps, provider, res, () =>
      beginSignIn(deps, provider, starter),
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
    const signedInUser = () =>
      answering(deps, provider, res, () => completeSignIn(deps, provider, response, taken, bindingOf(req)));
    const signIn = async () => deps.sessions.start(await signedInUser());
    if (taken?.attempt.client === 'web') return answerWebApp(deps, req, res, isSecure(provider), signIn);
    if (taken?.attempt.client === 'cli' && taken.attempt.cli) {
      return answerCommandLine(deps, res, taken.attempt.cli, signedInUser);
    }
    noStore(res).json(await signIn());
  });

  router.post('/v1/auth/sso/token', async (req, res) => {
    const { code, codeVerifier } = cliCodeBody.parse(req.body);
    const userId = await deps.cliCodes.redeem(code, codeVerifier);
    if (userId === null) throw codeInvalid();
    noStore(res).json(await deps.sessions.start(userId));
  });

  return router;
}
