/**
 * The type of an upload, from its first bytes (file-type's magic numbers): a name, an extension or a
 * Content-Type is whatever the client wrote, so none of them is asked.
 */
import { fileTypeFromBuffer } from 'file-type';
import type { ImageContentType } from './types.js';

/** How much of the start of a file the sniff reads (all of it, when smaller): file-type's own advice. */
export const SNIFF_BYTES = 4100;

/** Sniffed types that are allowed, and what they are stored as. APNG is a PNG whose extra frames old decoders skip. */
const ALLOWED: Record<string, ImageContentType> = {
  'image/jpeg': 'image/jpeg',
  'image/png': 'image/png',
  'image/apng': 'image/png',
  'image/webp': 'image/webp',
};

/** The allowed type the bytes are, or null for anything else (HTML, SVG, executables, GIF, nothing at all). */
export async function sniffImageType(head: Uint8Array): Promise<ImageContentType | null> {
  const found = await fileTypeFromBuffer(head);
  return (found && ALLOWED[found.mime]) ?? null;
}
