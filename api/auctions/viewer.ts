/**
 * Who is looking, on the auction routes that show bidders (domain/bidder-privacy.ts decides what they
 * see): anonymous without a token, else the signed-in user, and whether they are an admin.
 */
import type { Response } from 'express';
import { ANONYMOUS, type Viewer } from '../../domain/bidder-privacy.js';
import type { IsAdmin } from '../admin/require-admin.js';

/** The signed-in user on a route behind optionalUser (or requireUser), or null. */
export const signedInUserOf = (res: Response): string | null =>
  typeof res.locals.userId === 'string' ? res.locals.userId : null;

/** The viewer of one auction; an auction's seller sees every bidder anyway, so is not asked about. */
export async function viewerOf(res: Response, isAdmin: IsAdmin, sellerId: string): Promise<Viewer> {
  const userId = signedInUserOf(res);
  if (userId === null) return ANONYMOUS;
  return { userId, admin: userId !== sellerId && (await isAdmin(userId)) };
}
