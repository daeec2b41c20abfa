/**
 * One-click unsubscribe from the links in notification mail (RFC 8058). The token in the link names the
 * user and the type, signed, so it works without signing in and changes only that: email for that type.
 * GET shows a page with a button and changes nothing (mail scanners follow links); POST, which is what
 * a mail client's one-click sends (`List-Unsubscribe=One-Click`), unsubscribes, and repeating it is fine.
 */
import type { RequestHandler } from 'express';
import escapeHtml from 'escape-html';
import { z } from 'zod';
import type { Database } from '../../db/pool.js';
import { stopEmailing } from '../../db/notification-settings.js';
import {
  InvalidUnsubscribeToken,
  verifyUnsubscribeToken,
  type UnsubscribeRequest,
} from '../../domain/notifications/unsubscribe-token.js';
import { AppError } from '../errors.js';

export const unsubscribeQuery = z.object({
  token: z.string().min(1).max(2000).meta({ description: 'The token from the link in the mail.' }),
});

async function verified(secret: string, query: unknown): Promise<UnsubscribeRequest & { token: string }> {
  const { token } = unsubscribeQuery.parse(query);
  try {
    return { ...(await verifyUnsubscribeToken(secret, token)), token };
  } catch (error) {
    if (!(error instanceof InvalidUnsubscribeToken)) throw error;
    throw new AppError(400, 'INVALID_UNSUBSCRIBE_TOKEN', 'This unsubscribe link is not valid');
  }
}

export function unsubscribePage(secret: string): RequestHandler {
  return async (req, res) => {
    const { type, token } = await verified(secret, req.query);
    const action = `?token=${encodeURIComponent(token)}`;
    res
      .type('html')
      .set('Cache-Control', 'no-store')
      .send(
        `<!doctype html><html><body><form method="post" action="${escapeHtml(action)}">` +
          `<p>Stop emails of the type ${escapeHtml(type)}?</p><button type="submit">Unsubscribe</button></form></body></html>`,
      );
  };
}

export function unsubscribeOneClick(db: Database, secret: string): RequestHandler {
  return async (req, res) => {
    const { userId, type } = await verified(secret, req.query);
    await stopEmailing(db, userId, type);
    res.json({ unsubscribed: { channel: 'email', type } });
  };
}
