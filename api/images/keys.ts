/**
 * Object keys: 128 random bits (base64url), nothing else of the image's. Anyone may fetch an object whose
 * key they know (the bucket is public-read), and nobody may list the bucket, so a key is the only way to
 * an image: it must not be derivable from an auction id, an upload time or a file name.
 */
import { randomBytes } from 'node:crypto';
import { EXTENSION_OF, type ImageContentType } from './types.js';

const RANDOM_BYTES = 16;

export const newObjectKey = (type: ImageContentType) =>
  `images/${randomBytes(RANDOM_BYTES).toString('base64url')}.${EXTENSION_OF[type]}`;
