/**
 * Receives an upload (multipart/form-data, the image in the part named `file`) into a file on disk,
 * checking it as it streams: the first bytes are sniffed before the rest is read, and the size is
 * counted chunk by chunk, so an executable is refused after a few KiB and an oversize file as soon as it
 * passes the cap. Memory holds one chunk and the sniffed head, whatever the file's size. The file goes
 * to S3 only once it has passed every check (service.ts), with its MD5 for S3 to verify.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { AppError } from '../errors.js';
import { dimensionsOf } from './dimensions.js';
import { SNIFF_BYTES, sniffImageType } from './sniff.js';
import { IMAGE_CONTENT_TYPES, type Dimensions, type ImageContentType } from './types.js';

/** The form field the image comes in. */
export const FILE_FIELD = 'file';

/** Room for the multipart framing around the file (boundaries, part headers, a few small fields). */
const MULTIPART_OVERHEAD_BYTES = 16 * 1024;

export interface ReceivedImage extends Dimensions {
  path: string;
  bytes: number;
  contentType: ImageContentType;
  /** Base64, as S3's Content-MD5 wants it: S3 refuses the object if what arrives differs. */
  md5: string;
}

export const tooLarge = (maxBytes: number) =>
  new AppError(413, 'IMAGE_TOO_LARGE', `Images may be at most ${maxBytes} bytes`, { maxBytes });

const notAnImage = (why: string) =>
  new AppError(415, 'UNSUPPORTED_IMAGE_TYPE', `${why}: only JPEG, PNG and WebP images are accepted`, {
    allowed: [...IMAGE_CONTENT_TYPES],
  });

const malformed = (why: string) => new AppError(400, 'MALFORMED_MULTIPART', why);

/** Refuses, before reading anything, a request that is not a form upload or says it is too large. */
export function checkUploadHeaders(req: IncomingMessage, maxBytes: number): void {
  const type = req.headers['content-type'] ?? '';
  // Without a boundary it is still a form, if a broken one: busboy says so (400).
  if (!/^\s*multipart\/form-data\s*(;|$)/i.test(type)) {
    throw new AppError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `Upload the image as multipart/form-data, in a part named "${FILE_FIELD}"`,
    );
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes + MULTIPART_OVERHEAD_BYTES) throw tooLarge(maxBytes);
}

/**
 * Streams the `file` part of `req` into `path` (which must not exist), or rejects with the refusal
 * (400, 413, 415) as soon as one is certain. On a refusal the rest of the request is left unread: the
 * caller answers, then drains or closes the connection (upload-refusal.ts).
 */
export function receiveImage(req: IncomingMessage, path: string, maxBytes: number): Promise<ReceivedImage> {
  // Below what the sniff reads, an endless body would never reach a verdict (spool() explains).
  if (maxBytes < SNIFF_BYTES)
    throw new RangeError(`an image cap of ${maxBytes} bytes is below the sniff's ${SNIFF_BYTES}`);
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // One file; the small fields a form may add are read and ignored. busboy calls "limit" on
        // reaching fileSize, not on passing it: one byte more tells a file at the cap from one over it.
        limits: { files: 1, fileSize: maxBytes + 1, fields: 16, fieldSize: 1024, parts: 20, headerPairs: 20 },
      });
    } catch {
      // A multipart Content-Type without a boundary, say.
      reject(malformed('The multipart/form-data body has no boundary'));
      return;
    }

    let settled = false;
    let part: Readable | null = null;
    let spooling: Promise<ReceivedImage> | null = null;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      // Stop reading, and close the file being written (its stream would otherwise wait for ever).
      req.unpipe(parser);
      part?.destroy();
      parser.destroy();
      reject(error);
    };

    parser.on('file', (field, stream) => {
      if (field !== FILE_FIELD || spooling) {
        // Not ours: let the parser move past it. Its errors are the parser's too (reported there).
        stream.on('error', () => undefined).resume();
        return;
      }
      part = stream;
      const spooler = spool(stream, path, maxBytes);
      // Deferred: busboy goes on touching the part after emitting "limit", which fail() destroys.
      stream.once('limit', () =>
        process.nextTick(() => {
          if (spooler.reachedLimit()) fail(tooLarge(maxBytes));
        }),
      );
      spooling = spooler.done;
      spooling.catch(fail);
    });
    // `on`, not `once`: a broken body can make the parser (and the request) report more than one error.
    parser.on('error', () => fail(malformed('The multipart/form-data body is malformed')));
    // Emitted once the whole body is parsed: only then is the upload complete.
    parser.once('close', () => {
      if (!spooling) return fail(malformed(`No file in a part named "${FILE_FIELD}"`));
      spooling.then((image) => {
        if (settled) return;
        settled = true;
        resolve(image);
      }, fail);
    });
    const aborted = () => fail(malformed('The upload was cut off before its end'));
    req.once('aborted', aborted);
    req.on('error', aborted);
    req.pipe(parser);
  });
}

/**
 * Writes the part to disk, sniffing its head before going on, then checks its header for its size.
 *
 * Past the size cap, what is refused depends on the sniff, never on timing: a file that is no image is
 * 415 however far past the cap it streamed, an image 413. (A Content-Length over the cap is refused
 * before any of this, with 413.) busboy reports the cap as the bytes reach the
 * part's buffer, which can be before this has read (and sniffed) them: how far ahead depends on the
 * streams' buffer sizes, which Node 22 raised from 16 to 64 KiB. So `reachedLimit()` refuses at once
 * only when the type is known; otherwise the sniff, which the buffered bytes will reach (the cap is
 * never below what the sniff reads), refuses on its own: 415, or 413 once it finds an image.
 */
function spool(stream: Readable, path: string, maxBytes: number) {
  const md5 = createHash('md5');
  let bytes = 0;
  let contentType: ImageContentType | null = null;
  let head: Buffer[] = [];
  let headBytes = 0;
  let overLimit = false;
  const sniff = async () => {
    contentType = await sniffImageType(Buffer.concat(head));
    head = [];
    if (!contentType) throw notAnImage('The file is not an image of an accepted type');
  };
  const inspect = async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      bytes += chunk.length;
      md5.update(chunk);
      if (!contentType) {
        head.push(chunk);
        headBytes += chunk.length;
        if (headBytes >= SNIFF_BYTES) await sniff();
      }
      if (overLimit && contentType) throw tooLarge(maxBytes);
      yield chunk;
    }
    if (!contentType) await sniff(); // a file smaller than the sniff reads
  };
  const done = (async (): Promise<ReceivedImage> => {
    await pipeline(stream, inspect, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
    // Past the size cap busboy ends the part early; the cap was reported (reachedLimit) already.
    if ((stream as Readable & { truncated?: boolean }).truncated) throw tooLarge(maxBytes);
    const type = contentType as ImageContentType | null;
    if (!type) throw notAnImage('The file is not an image of an accepted type');
    const dimensions = await dimensionsOf(path, type);
    if (!dimensions) throw notAnImage(`The file starts like ${type} but its header is broken`);
    return { path, bytes, contentType: type, md5: md5.digest('base64'), ...dimensions };
  })();
  return {
    done,
    /** The part passed the cap: true when that is the answer now (an image's type is known). */
    reachedLimit(): boolean {
      overLimit = true;
      return contentType !== null;
    },
  };
}
