/** The image and S3 settings (config/env.ts), and where images are served from (api/images/storage.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseConfig } from '../config/env.js';
import { publicBaseUrl } from '../api/images/storage.js';

test('when nothing is set, then images go to AWS S3 with the documented limits', () => {
  const config = parseConfig({});
  assert.equal(config.S3_ENDPOINT, undefined);
  assert.equal(config.S3_REGION, 'us-east-1');
  assert.equal(config.S3_BUCKET, 'gavel-images');
  assert.equal(config.S3_FORCE_PATH_STYLE, false);
  assert.equal(config.IMAGE_MAX_BYTES, 10 * 1024 * 1024);
  assert.equal(config.IMAGES_PER_AUCTION, 10);
  assert.deepEqual(config.IMAGE_UPLOADS_PER_USER, { points: 2, durationSeconds: 3600 });
  assert.equal(publicBaseUrl(config), 'https://gavel-images.s3.us-east-1.amazonaws.com');
});

test('when the upload limit is written like the other limits, then it is read like them', () => {
  assert.deepEqual(parseConfig({ IMAGE_UPLOADS_PER_USER: '5/30m' }).IMAGE_UPLOADS_PER_USER, {
    points: 5,
    durationSeconds: 1800,
  });
  assert.equal(parseConfig({ IMAGE_UPLOADS_PER_USER: 'off' }).IMAGE_UPLOADS_PER_USER, null);
  assert.throws(() => parseConfig({ IMAGE_UPLOADS_PER_USER: 'two an hour' }), ConfigError);
});

test('when an endpoint is set, then images are served from the bucket there, as a path or a subdomain', () => {
  const minio = { S3_ENDPOINT: 'http://127.0.0.1:9100/', S3_FORCE_PATH_STYLE: 'true' };
  assert.equal(publicBaseUrl(parseConfig(minio)), 'http://127.0.0.1:9100/gavel-images');
  const hosted = parseConfig({ S3_ENDPOINT: 'https://s3.example.com', S3_BUCKET: 'lots' });
  assert.equal(publicBaseUrl(hosted), 'https://lots.s3.example.com');
});

test('when a public base URL is set (R2, a CDN), then it wins, without its trailing slash', () => {
  const r2 = parseConfig({
    S3_ENDPOINT: 'https://0123abcd.r2.cloudflarestorage.com',
    S3_REGION: 'auto',
    S3_PUBLIC_BASE_URL: 'https://images.example.com/',
  });
  assert.equal(publicBaseUrl(r2), 'https://images.example.com');
});

test('when S3 settings are wrong, then the API refuses to start and names them', () => {
  for (const [name, value] of [
    ['S3_ENDPOINT', 'ftp://example.com'],
    ['S3_BUCKET', 'Not_A_Bucket'],
    ['S3_FORCE_PATH_STYLE', 'yes'],
    ['S3_PUBLIC_BASE_URL', 'images.example.com'],
    ['IMAGE_MAX_BYTES', '0'],
    ['IMAGE_MAX_BYTES', '4000'],
    ['IMAGE_MAX_BYTES', String(2 * 1024 ** 3)],
  ]) {
    assert.throws(
      () => parseConfig({ [name!]: value }, 'api'),
      (error: Error) => error.message.includes(name!),
      name,
    );
  }
});

test('when only half of an S3 key pair is set, then the API refuses to start', () => {
  assert.throws(
    () => parseConfig({ S3_ACCESS_KEY_ID: 'AKIA...' }, 'api'),
    (error: Error) => error instanceof ConfigError && error.message.includes('S3_SECRET_ACCESS_KEY'),
  );
  const both = parseConfig({ S3_ACCESS_KEY_ID: 'a', S3_SECRET_ACCESS_KEY: 'b' }, 'api');
  assert.equal(both.S3_SECRET_ACCESS_KEY, 'b');
});
