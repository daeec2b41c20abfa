/**
 * The one-click unsubscribe link's token (RFC 8058): who, and which type to stop mailing. Signed (HS256)
 * so it works without signing in yet changes only what it names; it does not expire, as a link in an
 * old mail must still work. A token for another purpose, type or signature is refused as forged.
 */
import { jwtVerify, SignJWT } from 'jose';
import { isNotificationType, type NotificationType } from './types.js';

const PURPOSE = 'unsubscribe';
/** Development and tests only (config/env.ts requires NOTIFICATION_LINK_SECRET in production). */
export const DEVELOPMENT_LINK_SECRET = 'gavel-development-notification-link-secret';

export interface UnsubscribeRequest {
  userId: string;
  type: NotificationType;
}

export class InvalidUnsubscribeToken extends Error {
  override name = 'InvalidUnsubscribeToken';
}

const keyOf = (secret: string) => new TextEncoder().encode(secret);

export async function signUnsubscribeToken(secret: string, { userId, type }: UnsubscribeRequest): Promise<string> {
  return new SignJWT({ pur: PURPOSE, nt: type })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuedAt()
    .sign(keyOf(secret));
}

export async function verifyUnsubscribeToken(secret: string, token: string): Promise<UnsubscribeRequest> {
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), { algorithms: ['HS256'] });
    if (payload.pur !== PURPOSE || typeof payload.nt !== 'string' || !isNotificationType(payload.nt) || !payload.sub) {
      throw new InvalidUnsubscribeToken('not an unsubscribe token');
    }
    return { userId: payload.sub, type: payload.nt };
  } catch (error) {
    if (error instanceof InvalidUnsubscribeToken) throw error;
    throw new InvalidUnsubscribeToken('the unsubscribe link is not valid');
  }
}
