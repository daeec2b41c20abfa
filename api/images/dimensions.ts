/**
 * Width and height from an image file's header, read in a few small reads (never the whole file). A
 * header that is not what its type promises gives null, and the upload is refused: the sniff only
 * looked at the magic number, this checks that a real header follows it.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Dimensions, ImageContentType } from './types.js';

/** A JPEG's markers before the frame header are metadata (EXIF, ICC, ...): a real file has a few dozen. */
const MAX_JPEG_SEGMENTS = 512;

type Reader = (position: number, length: number) => Promise<Buffer>;

export async function dimensionsOf(file: string, type: ImageContentType): Promise<Dimensions | null> {
  const handle = await open(file, 'r');
  try {
    const read = readerOf(handle);
    const found = await (type === 'image/png' ? png(read) : type === 'image/webp' ? webp(read) : jpeg(read));
    return found && found.width > 0 && found.height > 0 ? found : null;
  } finally {
    await handle.close();
  }
}

/** Reads exactly `length` bytes at `position`, or fewer at the end of the file. */
function readerOf(handle: FileHandle): Reader {
  return async (position, length) => {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  };
}

/** The signature, then the IHDR chunk (always first): width and height as 32-bit big-endian. */
async function png(read: Reader): Promise<Dimensions | null> {
  const header = await read(0, 24);
  if (header.length < 24 || header.toString('latin1', 12, 16) !== 'IHDR') return null;
  return sane({ width: header.readUInt32BE(16), height: header.readUInt32BE(20) });
}

/**
 * PNG and JPEG headers can claim up to 2^32-1 pixels a side: past the integer columns, and a
 * decompression bomb for whoever displays it. Larger than any real photo is refused (415).
 */
export const MAX_IMAGE_SIDE = 65_535;
const sane = (d: Dimensions): Dimensions | null =>
  d.width > 0 && d.height > 0 && d.width <= MAX_IMAGE_SIDE && d.height <= MAX_IMAGE_SIDE ? d : null;

/** RIFF....WEBP, then the first chunk: lossy (VP8), lossless (VP8L) or extended (VP8X, with a canvas size). */
async function webp(read: Reader): Promise<Dimensions | null> {
  const header = await read(0, 30);
  if (header.length < 30 || header.toString('latin1', 8, 12) !== 'WEBP') return null;
  switch (header.toString('latin1', 12, 16)) {
    case 'VP8 ':
      // A key frame's start code, then 14-bit width and height (the top two bits are a scale).
      if (header[23] !== 0x9d || header[24] !== 0x01 || header[25] !== 0x2a) return null;
      return sane({ width: header.readUInt16LE(26) & 0x3fff, height: header.readUInt16LE(28) & 0x3fff });
    case 'VP8L': {
      if (header[20] !== 0x2f) return null;
      const bits = header.readUInt32LE(21);
      return sane({ width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 });
    }
    case 'VP8X':
      return sane({ width: header.readUIntLE(24, 3) + 1, height: header.readUIntLE(27, 3) + 1 });
    default:
      return null;
  }
}

/** Start-of-frame markers (baseline, progressive, lossless, arithmetic): not DHT (C4), JPG (C8) or DAC (CC). */
const isStartOfFrame = (marker: number) =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/** Walks the segments after SOI up to the frame header, which holds height then width (16-bit big-endian). */
async function jpeg(read: Reader): Promise<Dimensions | null> {
  let position = 2; // after SOI (FF D8), which the sniff saw
  for (let segment = 0; segment < MAX_JPEG_SEGMENTS; segment++) {
    const head = await read(position, 9);
    if (head.length < 4 || head[0] !== 0xff) return null;
    const marker = head[1]!;
    if (marker === 0xff) {
      position += 1; // fill byte before a marker
      continue;
    }
    if (isStartOfFrame(marker)) {
      if (head.length < 9) return null;
      return sane({ width: head.readUInt16BE(7), height: head.readUInt16BE(5) });
    }
    // Scan data or the end before any frame header: no image.
    if (marker === 0xda || marker === 0xd9) return null;
    // Markers without a length (TEM, RSTn) are skipped alone; every other one says how long it is.
    const standalone = marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
    const length = standalone ? 0 : head.readUInt16BE(2);
    if (!standalone && length < 2) return null;
    position += 2 + length;
  }
  return null;
}
