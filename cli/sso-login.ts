/**
 * `gavel login --sso <provider>`: single sign-on in the browser, for a program on the person's own machine
 * as OAuth does it for native apps (RFC 8252, the loopback redirect, with PKCE). The command listens on
 * 127.0.0.1 on a port the system picks, opens the browser at the API's SSO start with `client=cli`, that
 * address, a random `state` and the S256 challenge of a verifier it keeps; the API, once the provider has
 * vouched for the person, sends the browser back here with a one-time code, which only this command's
 * verifier redeems (POST /v1/auth/sso/token). docs/sso.md, "From the command line".
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { call, type Schemas } from './api/client.js';
import type { Context } from './context.js';
import { ApiRefusal, CliError, EXIT, InterruptedError } from './errors.js';
import { openBrowser } from './open-browser.js';

/** How long to wait for the person to finish at the provider. */
const SIGN_IN_TIMEOUT_MS = 5 * 60_000;
const CALLBACK_PATH = '/callback';

/** Why a sign-in failed, in plain words, by the code the API sent back to the loopback page. */
const FAILURES: Record<string, string> = {
  SSO_PROVIDER_ERROR: 'the provider did not sign you in (cancelled there, or refused)',
  SSO_EMAIL_NOT_VERIFIED: 'the provider did not confirm a verified email address',
  SSO_STATE_INVALID: 'the sign-in expired, was used already, or finished in another browser than the one it started in',
  SSO_CODE_REJECTED: 'the provider refused the sign-in code: start again',
  SSO_RESPONSE_INVALID: "the provider's answer did not pass verification: start again",
  SSO_PROVIDER_UNAVAILABLE: 'the provider could not be reached: try again shortly',
  UNAVAILABLE: 'the API could not finish it just now: try again shortly',
};

class SignInTimeout extends CliError {
  readonly exitCode = EXIT.refused;
  readonly code = 'SSO_TIMEOUT';
}

const random = () => randomBytes(32).toString('base64url');

const page = (title: string, text: string) =>
  `<!doctype html><html lang="en"><meta charset="utf-8"><title>${title}</title>` +
  `<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto"><h1>${title}</h1><p>${text}</p></body></html>`;

/** The one request the loopback server waits for: the API's redirect with the code (or the error). */
function waitForRedirect(
  server: http.Server,
  port: number,
  state: string,
): Promise<{ code: string } | { error: string }> {
  return new Promise((resolve) => {
    server.on('request', (req, res) => {
      const answer = (status: number, title: string, text: string) =>
        res
          .writeHead(status, {
            'content-type': 'text/html; charset=utf-8',
            'cache-control': 'no-store',
            'referrer-policy': 'no-referrer',
          })
          .end(page(title, text));
      // Only the address the API was given: a page elsewhere reaching this port by DNS rebinding names another host.
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      if (req.headers.host !== `127.0.0.1:${port}` || url.pathname !== CALLBACK_PATH || req.method !== 'GET') {
        return answer(404, 'Not found', 'Nothing here.');
      }
      // Not this command's sign-in (or a forged one): refuse it and keep waiting for the real one.
      if (url.searchParams.get('state') !== state) {
        return answer(400, 'Not this sign-in', 'This page was not opened by the sign-in the gavel command started.');
      }
      const error = url.searchParams.get('error');
      const code = url.searchParams.get('code');
      if (error !== null || code === null) {
        answer(400, 'Sign-in failed', 'The sign-in did not complete; the terminal says why. You can close this tab.');
        return resolve({ error: error ?? 'SSO_RESPONSE_INVALID' });
      }
      answer(200, 'Signed in', 'You are signed in to the gavel command line. You can close this tab.');
      resolve({ code });
    });
  });
}

export async function signInWithSso(
  context: Context,
  providerId: string,
  { openBrowser: open }: { openBrowser: boolean },
): Promise<Schemas['SessionTokens']> {
  // Asked first: it checks the API is there, and the provider exists, before a browser is opened.
  const { providers } = await call(() => context.client.GET('/v1/auth/sso'));
  const provider = providers.find((one) => one.id === providerId);
  if (!provider) {
    const offered = providers.map((one) => `${one.id} (${one.name})`).join(', ') || 'none';
    throw new ApiRefusal(404, 'NOT_FOUND', `No SSO provider "${providerId}" at ${context.api}; it offers: ${offered}`);
  }

  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const state = random();
    const verifier = random();
    const start = new URL(`${context.api}/v1/auth/sso/${encodeURIComponent(provider.id)}/start`);
    start.search = new URLSearchParams({
      client: 'cli',
      redirect_uri: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
      state,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    }).toString();

    const opened = open && (await openBrowser(start.href));
    context.output.note(
      opened
        ? `Opening your browser to sign in with ${provider.name}. If it does not open, visit:\n${start.href}`
        : `To sign in with ${provider.name}, open this address in your browser:\n${start.href}`,
    );
    context.output.note('Waiting for the sign-in to finish (Ctrl-C to stop)…');

    let timer: NodeJS.Timeout | undefined;
    let onInterrupt: (() => void) | undefined;
    const outcome = await Promise.race([
      waitForRedirect(server, port, state),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new SignInTimeout('The sign-in was not finished in the browser within 5 minutes')),
          SIGN_IN_TIMEOUT_MS,
        );
        onInterrupt = () => reject(new InterruptedError());
        process.once('SIGINT', onInterrupt);
      }),
    ]).finally(() => {
      clearTimeout(timer);
      if (onInterrupt) process.off('SIGINT', onInterrupt);
    });
    if ('error' in outcome) {
      const why = FAILURES[outcome.error] ?? 'the API refused it';
      throw new ApiRefusal(400, outcome.error, `The sign-in with ${provider.name} failed: ${why}`);
    }
    return await call(() =>
      context.client.POST('/v1/auth/sso/token', { body: { code: outcome.code, codeVerifier: verifier } }),
    );
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
