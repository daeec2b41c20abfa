/**
 * A JSON answer for the hot routes' POSTs (api/hot-path.ts), the same bytes and headers res.json sends
 * there but for the ETag. res.send hashes every body (SHA-1) for an ETag that no conditional request can
 * use on a POST, and re-parses the Content-Type it has just set to add the charset: profiled in the API
 * process under bench/hot-auction.bench.ts, the two were the largest share of express's own CPU on the
 * bid route. No client or test reads an ETag (GET answers keep theirs: they go through res.json).
 */
import type { Response } from 'express';

export function answerJson(res: Response, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', String(Buffer.byteLength(json)));
  res.end(json);
}
