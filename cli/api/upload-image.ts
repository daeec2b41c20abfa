/**
 * POST /v1/auctions/{id}/images: one multipart part named `file` (docs/images.md), streamed from the
 * file on disk. A plain request (openapi-fetch types JSON bodies), with the same bearer token and the
 * same once-only refresh after a 401 as `callAs`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { refusalOf } from '../errors.js';
import type { Session } from '../session.js';
import type { Schemas } from './client.js';
import { fetchOrUnreachable } from './transport.js';

/** Long enough for a large photo on a slow line; the API caps the size (IMAGE_MAX_BYTES). */
const UPLOAD_TIMEOUT_MS = 5 * 60_000;

async function send(api: string, auctionId: string, file: string, token: string) {
  const form = new FormData();
  form.append('file', await fs.openAsBlob(file), path.basename(file));
  const request = new Request(`${api}/v1/auctions/${encodeURIComponent(auctionId)}/images`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
    body: form,
  });
  const response = await fetchOrUnreachable(api, request, AbortSignal.timeout(UPLOAD_TIMEOUT_MS));
  const text = await response.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // a refusal may come without a JSON body: the status says enough
  }
  return { status: response.status, body };
}

export async function uploadImage(
  api: string,
  session: Session,
  auctionId: string,
  file: string,
): Promise<Schemas['AuctionImage']> {
  const token = await session.accessToken();
  let answer = await send(api, auctionId, file, token);
  if (answer.status === 401) answer = await send(api, auctionId, file, await session.refreshAfter(token));
  if (answer.status !== 201) throw refusalOf(answer.status, answer.body);
  return answer.body as Schemas['AuctionImage'];
}
