/**
 * The image bucket, through the S3 API: AWS S3, Cloudflare R2, MinIO or any other S3-compatible store,
 * chosen by config alone. Objects are served to clients straight from the bucket's public address
 * (S3_PUBLIC_BASE_URL); the API writes, copies and deletes them, and never reads them back.
 */
import { createReadStream } from 'node:fs';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { Config } from '../../config/env.js';
import { DependencyUnavailable } from '../unavailable.js';
import type { ImageContentType } from './types.js';

export type StorageConfig = Pick<
  Config,
  | 'S3_ENDPOINT'
  | 'S3_REGION'
  | 'S3_BUCKET'
  | 'S3_ACCESS_KEY_ID'
  | 'S3_SECRET_ACCESS_KEY'
  | 'S3_FORCE_PATH_STYLE'
  | 'S3_PUBLIC_BASE_URL'
>;

export interface StoredFile {
  key: string;
  path: string;
  bytes: number;
  contentType: ImageContentType;
  md5: string;
}

export interface ImageStorage {
  put(file: StoredFile): Promise<void>;
  /**
   * A copy of the object at `fromKey` under `toKey`, made in the bucket itself (the bytes never pass
   * through here). False when there is no object at `fromKey`.
   */
  copy(fromKey: string, toKey: string): Promise<boolean>;
  /** Succeeds when the object is already gone: a retried delete is not an error. */
  remove(key: string): Promise<void>;
  /** Where clients fetch the object. */
  urlOf(key: string): string;
  close(): void;
}

/** A key never changes what it holds (keys are never reused), so caches may keep an image for good. */
const CACHE_FOREVER = 'public, max-age=31536000, immutable';

/**
 * The bucket's own address when no public one is configured: path-style or virtual-hosted at the
 * endpoint, or AWS's virtual-hosted address. (R2's S3 endpoint is private: R2 needs S3_PUBLIC_BASE_URL.)
 */
export function publicBaseUrl(config: StorageConfig): string {
  if (config.S3_PUBLIC_BASE_URL) return config.S3_PUBLIC_BASE_URL;
  const bucket = config.S3_BUCKET;
  if (!config.S3_ENDPOINT) return `https://${bucket}.s3.${config.S3_REGION}.amazonaws.com`;
  if (config.S3_FORCE_PATH_STYLE) return `${config.S3_ENDPOINT}/${bucket}`;
  const endpoint = new URL(config.S3_ENDPOINT);
  return `${endpoint.protocol}//${bucket}.${endpoint.host}${endpoint.pathname.replace(/\/$/, '')}`;
}

/**
 * S3 unreachable, timing out or failing on its side (5xx) is a 503, so the client retries; a refusal
 * of ours (403 AccessDenied, 404 NoSuchBucket: a misconfiguration) stays an error, logged as a 500.
 */
function unavailableUnlessRefused(error: unknown): never {
  if (error instanceof S3ServiceException && error.$fault === 'client') throw error;
  throw new DependencyUnavailable('object storage', { cause: error });
}

/**
 * The SDK's own log lines are dropped: it would log every call, input included, and its failures reach
 * the error handler anyway (which logs them). Without a logger of its own it writes some to the console.
 */
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export function createImageStorage(config: StorageConfig): ImageStorage {
  const client = new S3Client({
    region: config.S3_REGION,
    ...(config.S3_ENDPOINT && { endpoint: config.S3_ENDPOINT }),
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    ...(config.S3_ACCESS_KEY_ID &&
      config.S3_SECRET_ACCESS_KEY && {
        credentials: { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY },
      }),
    // Content-MD5 carries the integrity check, which every S3-compatible store verifies; the SDK's
    // default extra CRC32 (sent as a trailer) is not supported by all of them (R2, older MinIO).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // A store that does not answer must not hold a request for ever.
    requestHandler: { connectionTimeout: 3000, requestTimeout: 30_000 },
    logger: quiet,
  });
  const base = publicBaseUrl(config);
  return {
    async put(file) {
      // The SDK only unpipes its body when a request fails: closed here, or the file handle (and the
      // deleted temp file's space) would leak with every failed put.
      const body = createReadStream(file.path);
      try {
        await client
          .send(
            new PutObjectCommand({
              Bucket: config.S3_BUCKET,
              Key: file.key,
              Body: body,
              ContentLength: file.bytes,
              ContentType: file.contentType,
              ContentMD5: file.md5,
              CacheControl: CACHE_FOREVER,
            }),
          )
          .catch(unavailableUnlessRefused);
      } finally {
        body.destroy();
      }
    },
    async copy(fromKey, toKey) {
      try {
        // The stored Content-Type and Cache-Control go with the bytes (MetadataDirective COPY).
        await client.send(
          new CopyObjectCommand({
            Bucket: config.S3_BUCKET,
            Key: toKey,
            CopySource: `${config.S3_BUCKET}/${fromKey.split('/').map(encodeURIComponent).join('/')}`,
            MetadataDirective: 'COPY',
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof S3ServiceException && error.name === 'NoSuchKey') return false;
        return unavailableUnlessRefused(error);
      }
    },
    async remove(key) {
      // S3 answers 204 whether or not the key existed.
      await client
        .send(new DeleteObjectCommand({ Bucket: config.S3_BUCKET, Key: key }))
        .catch(unavailableUnlessRefused);
    },
    urlOf: (key) => `${base}/${key}`,
    close: () => client.destroy(),
  };
}
