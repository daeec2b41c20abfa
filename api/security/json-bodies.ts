/**
 * Every body this API reads is JSON. express.json() skips a body of any other type, which would leave
 * `req.body` empty and turn into a puzzling "expected object" 400; this answers 415 and says why.
 */
import type { RequestHandler } from 'express';
import { AppError } from '../errors.js';

/**
 * Routes that take a body of another type: image uploads (multipart/form-data, api/images/), and the
 * one-click unsubscribe, whose form body (`List-Unsubscribe=One-Click`, RFC 8058) is not read at all.
 */
const OTHER_BODY_ROUTES = [/^\/v1\/auctions\/[^/]+\/images\/?$/, /^\/v1\/notifications\/unsubscribe\/?$/];

export const requireJsonBodies: RequestHandler = (req, _res, next) => {
  // req.is: false when a body of another type (or of no stated type) comes; null when none does.
  // An empty body (Content-Length: 0, as fetch sends for a POST without one) is no body either.
  // Checked before the path: JSON and bodiless requests, nearly all, need no URL parse. The plain JSON
  // type, as clients send it, is let on before req.is, which would parse the header and match the type
  // on every bid only to let it on too, with a body or without.
  const type = req.headers['content-type'];
  if (type === 'application/json' || type === 'application/json; charset=utf-8') return next();
  if (req.get('content-length') === '0' || req.is('application/json') !== false) return next();
  // Whatever the method: the route refuses other types itself, and an unserved method is a 405 there.
  if (OTHER_BODY_ROUTES.some((route) => route.test(req.path))) return next();
  throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be JSON: Content-Type: application/json');
};

/**
 * Bodies whose exact bytes matter after parsing: a signed webhook's signature is over the raw body, and
 * JSON re-serialised is not the same bytes. Kept (by reference: the parser's own buffer) for these paths only.
 */
const RAW_BODY_ROUTES = new Set(['/v1/payments/stripe/webhook']);
const rawBodies = new WeakMap<object, Buffer>();

/** express.json's `verify`: remembers the raw body of the routes that check a signature over it. */
export const keepRawBody = (req: { url?: string }, _res: unknown, body: Buffer): void => {
  const path = req.url?.split('?', 1)[0];
  if (path !== undefined && RAW_BODY_ROUTES.has(path)) rawBodies.set(req, body);
};

export const rawBodyOf = (req: object): Buffer | undefined => rawBodies.get(req);
