/** What an upload may be: sniffed from its bytes, never taken from its name or Content-Type. */
import { IMAGE_CONTENT_TYPES } from '../../db/schema.js';

export type ImageContentType = (typeof IMAGE_CONTENT_TYPES)[number];

export { IMAGE_CONTENT_TYPES };

/** The file extension each type's objects get: only for people and tools reading a URL; nothing trusts it. */
export const EXTENSION_OF: Record<ImageContentType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

export interface Dimensions {
  width: number;
  height: number;
}
