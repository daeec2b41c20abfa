/**
 * POST /v1/auctions/{id}/images: one multipart part named `file` (docs/images.md). openapi-fetch does
 * not stream a FormData with upload progress, so this is a plain XMLHttpRequest carrying the same
 * bearer token as the typed client; a 401 on an expired token refreshes the session once and retries.
 */
import { accessToken, refreshSession } from '../session';
import type { Schemas } from './client';
import { toApiError } from './errors';

type Progress = (fraction: number) => void;

function send(auctionId: string, file: File, onProgress: Progress): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/v1/auctions/${encodeURIComponent(auctionId)}/images`);
    if (accessToken.value !== null) request.setRequestHeader('Authorization', `Bearer ${accessToken.value}`);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        // a refusal may close the connection before a JSON body: the status says enough
      }
      resolve({ status: request.status, body });
    };
    // The API closes the connection on a refusal (too large, not an image) while the upload is still going.
    request.onerror = () => reject(new Error('The upload was cut off: the image may be too large or not an image.'));
    const form = new FormData();
    form.append('file', file);
    request.send(form);
  });
}

/** Uploads one image; resolves with the stored image, or throws an ApiError. */
export async function uploadImage(
  auctionId: string,
  file: File,
  onProgress: Progress,
): Promise<Schemas['AuctionImage']> {
  let answer = await send(auctionId, file, onProgress);
  if (answer.status === 401 && (await refreshSession())) answer = await send(auctionId, file, onProgress);
  if (answer.status !== 201) throw toApiError(answer.status, answer.body);
  return answer.body as Schemas['AuctionImage'];
}
