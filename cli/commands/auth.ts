/**
 * Signing in and out: `gavel login` (email and password, asked for or given; or `--sso <provider>` in
 * the browser, sso-login.ts), `gavel logout`, `gavel whoami`. The session is stored per API
 * (token-store.ts); tokens are never printed.
 */
import type { Command } from '@commander-js/extra-typings';
import { call, callAs, type Schemas } from '../api/client.js';
import { contextOf, type Context } from '../context.js';
import { UsageError } from '../errors.js';
import { withExamples } from '../help.js';
import { askPassword, askText, readStdin } from '../prompts.js';
import { signInWithSso } from '../sso-login.js';

type User = Schemas['User'];

const userText = (user: Pick<User, 'displayName' | 'email' | 'id'>) =>
  `${user.displayName} <${user.email}> (${user.id})`;

async function passwordSignIn(
  context: Context,
  options: { email?: string; passwordStdin?: boolean },
): Promise<Schemas['SessionTokens']> {
  const email =
    options.email ??
    (await askText('Email', 'Give --email (and --password-stdin) when no one is at the terminal to ask'));
  const password = options.passwordStdin
    ? await readStdin()
    : await askPassword('Password', 'Give --password-stdin when no one is at the terminal to ask');
  if (!password) throw new UsageError('The password read from stdin is empty');
  return call(() => context.client.POST('/v1/auth/token', { body: { email, password } }));
}

/** Stores the new session with the user it belongs to, and says who that is. */
async function finishSignIn(context: Context, tokens: Schemas['SessionTokens']): Promise<void> {
  const user = await call(() =>
    context.client.GET('/v1/users/me', { headers: { Authorization: `Bearer ${tokens.accessToken}` } }),
  );
  context.session.save(tokens, { id: user.id, email: user.email, displayName: user.displayName });
  context.output.result({ api: context.api, user }, () => `Signed in to ${context.api} as ${userText(user)}.`);
}

export function addAuthCommands(program: Command): void {
  withExamples(
    program
      .command('login')
      .description('Sign in, with your email and password or with a single sign-on provider in your browser')
      .option('--email <email>', 'your email (asked for when not given)')
      .option('--password-stdin', 'read the password from stdin instead of asking (for scripts)')
      .option('--sso <provider>', 'sign in at this single sign-on provider, in the browser')
      .option('--no-browser', 'with --sso: print the sign-in URL instead of opening a browser')
      .action(async (options, command) => {
        const context = contextOf(command);
        if (options.sso !== undefined && (options.email !== undefined || options.passwordStdin)) {
          throw new UsageError('--sso signs in at the provider: give it without --email or --password-stdin');
        }
        const tokens =
          options.sso === undefined
            ? await passwordSignIn(context, options)
            : await signInWithSso(context, options.sso, { openBrowser: options.browser });
        await finishSignIn(context, tokens);
      }),
    [
      'gavel login',
      'gavel login --email sam@example.com',
      'printf %s "$PASSWORD" | gavel login --email sam@example.com --password-stdin',
      'gavel login --sso google',
      'gavel --api https://gavel.example.com login',
    ],
  );

  withExamples(
    program
      .command('logout')
      .description('Sign out: the API revokes this session, and its tokens are deleted here')
      .action(async (_options, command) => {
        const context = contextOf(command);
        const session = context.session.stored();
        if (!session) {
          context.output.result(
            { api: context.api, signedOut: false },
            () => `You were not signed in to ${context.api}.`,
          );
          return;
        }
        // Forgotten here first: whatever the API answers, this machine holds no token of it any more.
        context.session.forget();
        await call(() => context.client.POST('/v1/auth/logout', { body: { refreshToken: session.refreshToken } }));
        const who = session.user ? ` (${session.user.displayName} <${session.user.email}>)` : '';
        context.output.result({ api: context.api, signedOut: true }, () => `Signed out of ${context.api}${who}.`);
      }),
    ['gavel logout', 'gavel --api https://gavel.example.com logout'],
  );

  withExamples(
    program
      .command('whoami')
      .description('Show who you are signed in as (asks the API)')
      .action(async (_options, command) => {
        const context = contextOf(command);
        const user = await callAs(context.session, (headers) => context.client.GET('/v1/users/me', { headers }));
        context.output.result({ api: context.api, user }, () => `${userText(user)} at ${context.api}`);
      }),
    ['gavel whoami', 'gavel --json whoami | jq -r .user.id'],
  );
}
