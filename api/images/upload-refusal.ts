/**
 * A refused upload leaves the rest of its body unread. Left alone, Node reads and discards all of it to
 * keep the connection for a next request: for an upload that may be gigabytes, from a client that may
 * never read the answer. So a refusal closes the connection, reading at most a little more first: enough
 * for a well-behaved client to finish sending and read the answer, no more.
 */
import type { ErrorRequestHandler, Request, Response } from 'express';

/** What is discarded after a refusal before the socket is cut, in bytes and in time. */
const DRAIN_BYTES = 1024 * 1024;
const DRAIN_MS = 10_000;

export function closeAfterRefusal(req: Request, res: Response): void {
  res.set('Connection', 'close');
  if (req.complete) return;
  const cut = () => req.socket.destroy();
  const timer = setTimeout(cut, DRAIN_MS).unref();
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_BYTES) cut();
  });
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
  req.resume();
}

/** Last on an upload route (and its guards): any refusal closes the connection, then goes on to the error handler. */
export const closeUploadOnError: ErrorRequestHandler = (error, req, res, next) => {
  closeAfterRefusal(req, res);
  next(error);
};
