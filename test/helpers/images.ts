/**
 * Small, valid images made here as bytes (no fixture files, no image library): a PNG, a baseline JPEG
 * and a lossless WebP of any size, each filled with one colour. Checked once with real decoders (Pillow,
 * libwebp) when written; the tests check what the API reads of them.
 */
import { deflateSync } from 'node:zlib';

// --- PNG: signature, IHDR, one IDAT (zlib), IEND; each chunk with its CRC-32 ---

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGB PNG. `extraBytes` adds a private ancillary chunk, to make a larger file. */
export function makePng(width: number, height: number, extraBytes = 0): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, deflate, adaptive filters, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x80)]); // filter "none", grey pixels
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    // A lowercase first letter marks the chunk ancillary: decoders skip it.
    ...(extraBytes > 0 ? [pngChunk('teXt', Buffer.alloc(extraBytes, 0x61))] : []),
    pngChunk('IDAT', pixels),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

// --- JPEG: baseline, one grey component, every 8×8 block mid-grey (DC 0, no AC) ---

const marker = (code: number, body: number[]) => [
  0xff,
  code,
  (body.length + 2) >> 8,
  (body.length + 2) & 0xff,
  ...body,
];

/**
 * Each block is coded as two bits: DC category 0 (Huffman code `0`) and end-of-block (code `0`), with
 * one-code Huffman tables. Width and height in pixels, multiples of 8 not required.
 */
export function makeJpeg(width: number, height: number): Buffer {
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  const bits = '00'.repeat(blocks).padEnd(Math.ceil((blocks * 2) / 8) * 8, '1');
  const scan = (bits.match(/.{8}/g) ?? []).map((byte) => parseInt(byte, 2)); // never 0xFF: no stuffing
  const oneCodeTable = (tableClassAndId: number) => [tableClassAndId, 1, ...Array<number>(15).fill(0), 0x00];
  return Buffer.from([
    0xff,
    0xd8, // SOI
    ...marker(0xdb, [0x00, ...Array<number>(64).fill(1)]), // DQT: table 0, all ones
    ...marker(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]), // SOF0
    ...marker(0xc4, oneCodeTable(0x00)), // DHT: DC table 0, one code for category 0
    ...marker(0xc4, oneCodeTable(0x10)), // DHT: AC table 0, one code for end-of-block
    ...marker(0xda, [1, 1, 0x00, 0, 63, 0]), // SOS: component 1 with tables 0/0, full spectrum
    ...scan,
    0xff,
    0xd9, // EOI
  ]);
}

// --- WebP: lossless (VP8L), every pixel one colour: five one-symbol prefix codes, zero bits a pixel ---

class BitWriter {
  private readonly bytes: number[] = [];
  private bit = 0;

  /** `count` bits of `value`, least significant first (VP8L's order). */
  write(value: number, count: number): this {
    for (let i = 0; i < count; i++) {
      if (this.bit === 0) this.bytes.push(0);
      if ((value >>> i) & 1) this.bytes[this.bytes.length - 1]! |= 1 << this.bit;
      this.bit = (this.bit + 1) % 8;
    }
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.from(this.bytes);
  }
}

export function makeWebp(width: number, height: number): Buffer {
  const bits = new BitWriter()
    .write(0x2f, 8) // signature
    .write(width - 1, 14)
    .write(height - 1, 14)
    .write(0, 1) // no alpha
    .write(0, 3) // version 0
    .write(0, 1) // no transform
    .write(0, 1) // no colour cache
    .write(0, 1); // no meta prefix codes
  // Green, red, blue, alpha, distance: each a "simple" code with one 8-bit symbol.
  for (const symbol of [0x80, 0x80, 0x80, 0xff, 0]) bits.write(1, 1).write(0, 1).write(1, 1).write(symbol, 8);
  const data = bits.toBuffer();
  const padded = data.length % 2 ? Buffer.concat([data, Buffer.alloc(1)]) : data;
  const chunk = Buffer.alloc(8);
  chunk.write('VP8L', 0, 'latin1');
  chunk.writeUInt32LE(data.length, 4);
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(4 + chunk.length + padded.length, 4);
  riff.write('WEBP', 8, 'latin1');
  return Buffer.concat([riff, chunk, padded]);
}

// --- Things that are not allowed images, some dressed as one ---

export const GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
export const HTML = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
export const SVG = Buffer.from(
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>',
);
/** The start of a Windows executable (MZ, then the PE offset and header). */
export const EXE = Buffer.concat([
  Buffer.from('MZ'),
  Buffer.alloc(58),
  Buffer.from([0x40, 0, 0, 0]),
  Buffer.from('PE\0\0'),
  Buffer.alloc(512),
]);
