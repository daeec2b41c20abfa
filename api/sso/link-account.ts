/**
 * Which account a provider's user signs in to. An identity is (issuer, subject): the one pair a provider
 * promises never to give anyone else. An email is a claim, trusted only when the provider says it
 * verified it (`email_verified: true`, or the provider's configured claim: Entra's `xms_edov`):
 *
 * 1. an identity linked before signs in to its account (whatever its email says today);
 * 2. otherwise, with a verified email, it is linked to the account holding that email, or to a new
 *    account (no password) when none does;
 * 3. otherwise it is refused (403): never linked by an unverified email, and no account created on one,
 *    since that account's email would later be matched by rule 2 for whoever does own the address.
 *
 * Linking to an account that has a password cuts that password and every session of the account:
 * sign-up never verified that address, so the password may be a squatter's, set up in advance to share
 * the account its real owner is about to sign in to (pre-account takeover). docs/decisions.md.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { userIdentities, users } from '../../db/schema.js';
import { email as emailSchema } from '../accounts/schemas.js';
import { isUniqueViolation } from '../accounts/unique-violation.js';
import type { RefreshTokenStore } from '../auth/refresh-tokens.js';
import type { AccessTokenRevocations } from '../auth/revocations.js';
import { AppError } from '../errors.js';

export interface ProviderIdentity {
  issuer: string;
  subject: string;
  email: string | undefined;
  /** Only a boolean `true` from the provider counts; "true" as a string, or nothing, does not. */
  emailVerified: boolean;
  name: string | undefined;
}

export interface LinkDeps {
  db: Database;
  refreshTokens: Pick<RefreshTokenStore, 'revokeAllOf'>;
  revocations: Pick<AccessTokenRevocations, 'revoke'>;
}

const MAX_DISPLAY_NAME = 80;

const emailNotVerified = () =>
  new AppError(
    403,
    'SSO_EMAIL_NOT_VERIFIED',
    'The sign-in provider did not confirm a verified email address: verify it there, or sign in another way',
  );

/** The provider's name for the person, fit to store (no control characters, at most 80), or the email's local part. */
function displayNameOf(name: string | undefined, email: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const cleaned = (name ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim();
  return (cleaned || email.slice(0, email.indexOf('@'))).slice(0, MAX_DISPLAY_NAME);
}

/** The user id to sign in; 403 SSO_EMAIL_NOT_VERIFIED when rules 1 and 2 do not apply. */
export async function accountFor(deps: LinkDeps, identity: ProviderIdentity): Promise<string> {
  try {
    return await resolve(deps, identity);
  } catch (error) {
    // Two first sign-ins of one identity at once, or a sign-up taking the email meanwhile: the loser
    // tries once more, and then finds what the winner wrote (rule 1 or 2).
    if (
      isUniqueViolation(error, 'users_email_lower_key') ||
      isUniqueViolation(error, 'user_identities_issuer_subject_pk')
    ) {
      return resolve(deps, identity);
    }
    throw error;
  }
}

async function resolve({ db, refreshTokens, revocations }: LinkDeps, identity: ProviderIdentity): Promise<string> {
  const [known] = await db
    .select({ userId: userIdentities.userId })
    .from(userIdentities)
    .where(and(eq(userIdentities.issuer, identity.issuer), eq(userIdentities.subject, identity.subject)));
  if (known) return known.userId;

  const email = emailSchema.safeParse(identity.email);
  if (!identity.emailVerified || !email.success) throw emailNotVerified();

  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: users.id, passwordHash: users.passwordHash })
      .from(users)
      .where(and(sql`lower(${users.email}) = ${email.data}`, isNull(users.deletedAt)))
      .for('update');
    const userId =
      existing?.id ??
      (
        await tx
          .insert(users)
          .values({ email: email.data, displayName: displayNameOf(identity.name, email.data), passwordHash: null })
          .returning({ id: users.id })
      )[0]!.id;
    await tx.insert(userIdentities).values({ issuer: identity.issuer, subject: identity.subject, userId });
    if (existing?.passwordHash) {
      await tx.update(users).set({ passwordHash: null }).where(eq(users.id, userId));
      await refreshTokens.revokeAllOf(tx, userId);
      // Inside the transaction: if Redis refuses, nothing is linked, and the sign-in can be tried again.
      // Access tokens carry their issue time in whole seconds: those of earlier seconds are refused, and
      // those from this second on stay valid, the one about to be issued included.
      await revocations.revoke(userId, Math.floor(Date.now() / 1000));
    }
    return userId;
  });
}
