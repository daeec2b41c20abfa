/**
 * Reads one cookie from the request's Cookie header. A few lines rather than a dependency: the API sets
 * only its own cookies, with base64url values that need no decoding, so a value is taken as sent.
 */
import type { Request } from 'express';

/** The value of the first cookie named `name`, or null (no Cookie header, no such cookie). */
export function cookieOf(req: Request, name: string): string | null {
  for (const pair of (req.get('cookie') ?? '').split(';')) {
    const [key, ...value] = pair.trim().split('=');
    if (key === name) return value.join('=');
  }
  return null;
}
