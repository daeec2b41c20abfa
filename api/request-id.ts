/**
 * The id a request is known by in records that outlive it (the audit log, a retraction's row): the
 * caller's X-Request-Id when it is a sensible token (a proxy or a client that logs its own), otherwise a
 * new one. Answered back in X-Request-Id, so a client can quote it.
 */
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(req: Request, res: Response): string {
  const known: unknown = res.locals.requestId;
  if (typeof known === 'string') return known;
  const sent = req.get('x-request-id');
  const id = sent !== undefined && CLIENT_REQUEST_ID.test(sent) ? sent : randomUUID();
  res.locals.requestId = id;
  res.set('X-Request-Id', id);
  return id;
}
