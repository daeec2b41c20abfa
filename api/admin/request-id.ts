/**
 * The id an audit entry names its request by: the client's (or its proxy's) `X-Request-Id` when it is
 * a plain token, so an operator can follow one request through their own logs; otherwise one made here.
 */
import { randomUUID } from 'node:crypto';
import type { Request } from 'express';

/** Letters, digits and `._:-`, at most 128: what request-id headers hold, and nothing that could mislead a log. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(req: Request): string {
  const given = req.get('x-request-id');
  return given !== undefined && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
}
