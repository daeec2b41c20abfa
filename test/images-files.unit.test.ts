/**
 * What the API reads of an uploaded file on its own side: the type sniffed from the first bytes, and
 * the width and height from a header that must be there. Valid files from test/helpers/images.ts;
 * headers of the kinds the generators do not make (lossy and extended WebP, progressive JPEG, metadata
 * before the frame) written byte by byte; broken ones refused.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { dimensionsOf } from '../api/images/dimensions.js';
import { sniffImageType } from '../api/images/sniff.js';
import type { ImageContentType } from '../api/images/types.js';
import { EXE, GIF, HTML, makeJpeg, makePng, makeWebp, SVG } from './helpers/images.js';

const dir = mkdtempSync(join(tmpdir(), 'gavel-image-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
/** A 1×1 PNG whose header claims another size (the pixels are not what a decoder would check first). */
function pngClaiming(width: number, height: number): Buffer {
  const png = makePng(1, 1);
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  return png;
}

function dimensionsOfBytes(bytes: Buffer, type: ImageContentType) {
  const file = join(dir, `f${++counter}`);
  writeFileSync(file, bytes);
  return dimensionsOf(file, type);
}

/** A RIFF/WEBP file around one chunk. */
function webpWith(fourcc: string, data: Buffer): Buffer {
  const header = Buffer.alloc(20);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(12 + data.length, 4);
  header.write('WEBP', 8, 'latin1');
  header.write(fourcc, 12, 'latin1');
  header.writeUInt32LE(data.length, 16);
  return Buffer.concat([header, data]);
}

describe('sniffing', () => {
  test('when the bytes are a PNG, a JPEG or a WebP, then that is the type, whatever else is claimed', async () => {
    assert.equal(await sniffImageType(makePng(3, 3)), 'image/png');
    assert.equal(await sniffImageType(makeJpeg(3, 3)), 'image/jpeg');
    assert.equal(await sniffImageType(makeWebp(3, 3)), 'image/webp');
  });

  test('when only the first 4100 bytes of a large PNG are sniffed, then it is still a PNG', async () => {
    assert.equal(await sniffImageType(makePng(3, 3, 100_000).subarray(0, 4100)), 'image/png');
  });

  test('when a PNG is animated (APNG), then it is stored as the PNG it also is', async () => {
    const png = makePng(3, 3);
    // acTL (animation control) right after IHDR marks an APNG; file-type looks for it before IDAT.
    const acTL = Buffer.from('000000086163544c00000001000000009a7aa1b4', 'hex');
    const apng = Buffer.concat([png.subarray(0, 33), acTL, png.subarray(33)]);
    assert.equal(await sniffImageType(apng), 'image/png');
  });

  for (const [what, bytes] of Object.entries({ HTML, SVG, EXE, GIF, empty: Buffer.alloc(0) })) {
    test(`when the bytes are ${what}, then no allowed type`, async () => {
      assert.equal(await sniffImageType(bytes), null);
    });
  }
});

describe('dimensions', () => {
  test('when the files are made here, then their headers give the size they were made with', async () => {
    assert.deepEqual(await dimensionsOfBytes(makePng(640, 3), 'image/png'), { width: 640, height: 3 });
    assert.deepEqual(await dimensionsOfBytes(makeJpeg(17, 9), 'image/jpeg'), { width: 17, height: 9 });
    assert.deepEqual(await dimensionsOfBytes(makeWebp(16384, 2), 'image/webp'), { width: 16384, height: 2 });
  });

  test('when a JPEG has metadata and fill bytes before a progressive frame header, then the frame gives the size', async () => {
    const jpeg = makeJpeg(300, 200);
    const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0x10, 0x02]), Buffer.alloc(0x1000, 0x45)]); // a 4 KiB "EXIF"
    const withMetadata = Buffer.concat([jpeg.subarray(0, 2), app1, Buffer.from([0xff, 0xff]), jpeg.subarray(2)]);
    const progressive = Buffer.from(withMetadata);
    progressive[progressive.indexOf(Buffer.from([0xff, 0xc0])) + 1] = 0xc2;
    assert.deepEqual(await dimensionsOfBytes(progressive, 'image/jpeg'), { width: 300, height: 200 });
  });

  test('when a WebP is lossy (VP8) or extended (VP8X), then its own header gives the size', async () => {
    const vp8 = Buffer.alloc(10);
    vp8.set([0x9d, 0x01, 0x2a], 3); // after the 3-byte frame tag: the key frame start code
    vp8.writeUInt16LE(1920, 6);
    vp8.writeUInt16LE(1080 | (1 << 14), 8); // the top two bits are a scale, not size
    assert.deepEqual(await dimensionsOfBytes(webpWith('VP8 ', vp8), 'image/webp'), { width: 1920, height: 1080 });
    const vp8x = Buffer.alloc(10);
    vp8x.writeUIntLE(4000 - 1, 4, 3);
    vp8x.writeUIntLE(3000 - 1, 7, 3);
    assert.deepEqual(await dimensionsOfBytes(webpWith('VP8X', vp8x), 'image/webp'), { width: 4000, height: 3000 });
  });

  const broken: [string, Buffer, ImageContentType][] = [
    ['a PNG cut after its signature', makePng(4, 4).subarray(0, 12), 'image/png'],
    [
      'a PNG whose first chunk is not IHDR',
      Buffer.concat([makePng(4, 4).subarray(0, 12), Buffer.from('IDAT'), Buffer.alloc(8)]),
      'image/png',
    ],
    ['a PNG of width 0', makePng(0, 4), 'image/png'],
    ['a JPEG that is only its start marker', Buffer.from([0xff, 0xd8, 0xff]), 'image/jpeg'],
    [
      'a JPEG whose scan comes before any frame header',
      Buffer.from([0xff, 0xd8, 0xff, 0xda, 0, 8, 1, 1, 0, 0, 63, 0]),
      'image/jpeg',
    ],
    ['a JPEG with a segment length below 2', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 1, 0xff, 0xc0]), 'image/jpeg'],
    [
      'a JPEG whose segments are not markers',
      Buffer.concat([Buffer.from([0xff, 0xd8]), Buffer.alloc(32, 0x41)]),
      'image/jpeg',
    ],
    ['a WebP with an unknown first chunk', webpWith('ALPH', Buffer.alloc(16)), 'image/webp'],
    ['a lossy WebP without its start code', webpWith('VP8 ', Buffer.alloc(10)), 'image/webp'],
    ['a WebP cut inside its header', makeWebp(4, 4).subarray(0, 24), 'image/webp'],
    // Past the integer columns (a 500 before) and a decompression bomb for whoever displays it.
    ['a PNG claiming 2^31 pixels a side', pngClaiming(2 ** 31, 1), 'image/png'],
    ['a PNG claiming 65,536 pixels a side', pngClaiming(1, 65_536), 'image/png'],
    ['a PNG claiming a zero width', pngClaiming(0, 10), 'image/png'],
  ];
  for (const [what, bytes, type] of broken) {
    test(`when the file is ${what}, then there is no size (the upload is refused)`, async () => {
      assert.equal(await dimensionsOfBytes(bytes, type), null);
    });
  }
});
