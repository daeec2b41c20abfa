/** Opaque page cursors: base64url of a small JSON; anything else a client sends is a 400, not a 500. */
import { AppError } from '../errors.js';
import { isAuctionId } from './ids.js';

const invalid = () => new AppError(400, 'INVALID_CURSOR', 'The cursor is not one this API issued');

export const encodeCursor = (at: Date, id: string) =>
  Buffer.from(JSON.stringify({ at: at.toISOString(), id })).toString('base64url');

export function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { at?: unknown; id?: unknown };
    const at = typeof parsed.at === 'string' ? new Date(parsed.at) : null;
    // Within years Postgres accepts, and a real UUID: nothing a client sends may fail the query itself.
    const year = at?.getUTCFullYear() ?? NaN;
    if (!at || !(year >= 1970 && year <= 9999) || typeof parsed.id !== 'string' || !isAuctionId(parsed.id)) {
      throw invalid();
    }
    return { at, id: parsed.id };
  } catch {
    throw invalid();
  }
}
