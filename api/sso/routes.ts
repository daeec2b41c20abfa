/**
 * Sign-in with SSO (OpenID Connect):
 *   GET /v1/auth/sso                      the configured providers
 *   GET /v1/auth/sso/:provider/start      302 to the provider, with the binding cookie
 *   GET /v1/auth/sso/:provider/callback   where the provider sends the browser back: the session tokens
 * Start is a redirect, not JSON with a URL: a sign-in link or button is then plain navigation, and the
 * binding cookie is set on the very response that sends the browser away (docs/decisions.md).
 */
import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { noStore } from '../auth/no-store.js';
import { AppError } from '../errors.js';
import { RETRY_AFTER_UNAVAILABLE_SECONDS } from '../unavailable.js';
import { bindingOf, clearBindingCookie, setBindingCookie } from './browser-binding.js';
import type { SsoProvider } from './providers.js';
import { callbackQuery } from './schemas.js';
import { beginSignIn, completeSignIn, type SsoFlowDeps } from './sign-in-flow.js';

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

export function ssoRoutes(deps: SsoRouteDeps): Router {
  const router = Router();

  router.get('/v1/auth/sso', (_req, res) => {
    res.json({ providers: deps.providers.list() });
  });

  router.get('/v1/auth/sso/:provider/start', async (req, res) => {
    const provider = providerOf(deps, req);
    const { authorizationUrl, binding } = await answering(deps, provider, res, () => beginSignIn(deps, provider));
    setBindingCookie(res, provider.id, binding, { secure: isSecure(provider), maxAgeSeconds: deps.attemptTtlSeconds });
    noStore(res).redirect(302, authorizationUrl.href);
  });

  router.get('/v1/auth/sso/:provider/callback', async (req, res) => {
    const provider = providerOf(deps, req);
    callbackQuery.parse(req.query);
    // The query exactly as the provider wrote it (express's parsed req.query is not that).
    const response = new URL(req.originalUrl, 'http://callback.invalid').searchParams;
    clearBindingCookie(res, provider.id, isSecure(provider)); // on every answer: the attempt is spent either way
    const session = await answering(deps, provider, res, () =>
      completeSignIn(deps, provider, response, bindingOf(req)),
    );
    noStore(res).json(session);
  });

  return router;
}
