/**
 * Refresh tokens: opaque random strings (256 bits), kept in Postgres only as their SHA-256, so a copy of
 * the table signs nobody in. A sign-in starts a family; each use retires the token and hands out the
 * next one of the family (rotation); a retired token used again means two parties hold the family — a
 * thief and its owner — so the whole family is revoked (reuse detection, RFC 9700 §4.14.2) and both
 * must sign in again. A fast hash is enough: nobody can guess their way through 2^256 tokens, and the
 * lookup by hash stays an index lookup.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, gt, isNull, lte, sql } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { refreshTokens } from '../../db/schema.js';
import { AppError } from '../errors.js';

const TOKEN_BYTES = 32;

/** What is stored for a token (base64url SHA-256). */
export const hashRefreshToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Takes a share lock on the user's row if the account is not deleted. Deletion updates that row and then
 * deletes the user's tokens in one transaction, so a token issued under this lock either commits first
 * (and is deleted with the rest) or waits, then finds the account gone: none outlives a deletion.
 */
async function holdLiveUser(tx: Pick<Database, 'execute'>, userId: string): Promise<boolean> {
  const result = await tx.execute(sql`SELECT 1 FROM users WHERE id = ${userId} AND deleted_at IS NULL FOR SHARE`);
  return result.rows.length > 0;
}

/** A transaction or the database: the statements below run in either. */
type Executor = Pick<Database, 'insert' | 'update' | 'select' | 'delete'>;

export class RefreshTokenStore {
  constructor(
    private readonly db: Database,
    readonly ttlSeconds: number,
  ) {}

  /**
   * The first token of a new family (a sign-in). The user's expired rows go at the same time, so rows
   * do not pile up for anyone who keeps signing in (an expired token is refused as unknown all the same).
   */
  async start(userId: string): Promise<string> {
    const token = await this.db.transaction(async (tx) => {
      if (!(await holdLiveUser(tx, userId))) return null;
      await tx
        .delete(refreshTokens)
        .where(and(eq(refreshTokens.userId, userId), lte(refreshTokens.expiresAt, sql`now()`)));
      return this.add(tx, userId, randomUUID());
    });
    if (token === null) throw new AppError(401, 'INVALID_CREDENTIALS', 'This account no longer exists');
    return token;
  }

  /**
   * Retires `token` and returns the next one of its family with its user; null when the token is
   * unknown, expired, revoked or already used — the last also revokes its family, and that sticks.
   */
  async rotate(token: string): Promise<{ userId: string; refreshToken: string } | null> {
    const tokenHash = hashRefreshToken(token);
    return this.db.transaction(async (tx) => {
      // One statement claims the token: of two requests racing with it, the second waits for the
      // first to commit, then finds it used (and so revokes the family).
      const [claimed] = await tx
        .update(refreshTokens)
        .set({ usedAt: sql`now()` })
        .where(
          and(
            eq(refreshTokens.tokenHash, tokenHash),
            isNull(refreshTokens.usedAt),
            isNull(refreshTokens.revokedAt),
            gt(refreshTokens.expiresAt, sql`now()`),
          ),
        )
        .returning({ familyId: refreshTokens.familyId, userId: refreshTokens.userId });
      if (claimed) {
        if (!(await holdLiveUser(tx, claimed.userId))) return null;
        return { userId: claimed.userId, refreshToken: await this.add(tx, claimed.userId, claimed.familyId) };
      }
      const [known] = await tx
        .select({ familyId: refreshTokens.familyId, usedAt: refreshTokens.usedAt })
        .from(refreshTokens)
        .where(eq(refreshTokens.tokenHash, tokenHash));
      if (known?.usedAt) await this.revokeFamily(tx, known.familyId);
      return null;
    });
  }

  /** Logout: the token's family is revoked, whichever of its tokens is shown. Unknown tokens change nothing. */
  async revokeFamilyOf(token: string): Promise<void> {
    const [known] = await this.db
      .select({ familyId: refreshTokens.familyId })
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, hashRefreshToken(token)));
    if (known) await this.revokeFamily(this.db, known.familyId);
  }

  /** Every session of a user (an SSO link that took over the account). */
  async revokeAllOf(executor: Executor, userId: string): Promise<void> {
    await executor
      .update(refreshTokens)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
  }

  private async revokeFamily(executor: Executor, familyId: string): Promise<void> {
    await executor
      .update(refreshTokens)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
  }

  private async add(executor: Executor, userId: string, familyId: string): Promise<string> {
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    await executor.insert(refreshTokens).values({
      tokenHash: hashRefreshToken(token),
      familyId,
      userId,
      expiresAt: sql`now() + make_interval(secs => ${this.ttlSeconds})`,
    });
    return token;
  }
}
