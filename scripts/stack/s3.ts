/**
 * MinIO (the pinned server built by setup.sh): the local S3 for auction images. Its bucket is made here,
 * at start, not by the API: in production the bucket is infrastructure, and the API's credentials need
 * no right to create buckets or change their policy (docs/decisions.md, "Images").
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketPolicyCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { startChild, type Child } from './child.js';
import {
  minioServer,
  S3_ACCESS_KEY_ID,
  S3_BUCKET,
  S3_REGION,
  S3_SECRET_ACCESS_KEY,
  s3Endpoint,
  type Profile,
} from './profiles.js';
import { waitUntilReady } from './wait.js';

/** A client with the local MinIO's root credentials (the stack's and the tests' own use only). */
export function localS3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: S3_SECRET_ACCESS_KEY },
  });
}

/**
 * Anyone may GET an object whose key they know, and nothing else: no listing, so the keys (random,
 * 128 bits) cannot be enumerated. Images are served by URL straight from the bucket.
 */
export const publicReadPolicy = (bucket: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: ['*'] }, Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${bucket}/*`] },
    ],
  });

/** Creates the bucket when missing (safe to repeat, and between processes), then sets its read policy. */
export async function ensurePublicReadBucket(client: S3Client, bucket: string): Promise<void> {
  const exists = await client.send(new HeadBucketCommand({ Bucket: bucket })).then(
    () => true,
    (error: unknown) => {
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return false;
      throw error;
    },
  );
  if (!exists) {
    await client.send(new CreateBucketCommand({ Bucket: bucket })).catch((error: unknown) => {
      if (!(error instanceof BucketAlreadyOwnedByYou)) throw error; // made meanwhile by someone else
    });
  }
  await client.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: publicReadPolicy(bucket) }));
}

async function isReady(port: number): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/minio/health/ready`);
  if (response.status !== 200) throw new Error(`/minio/health/ready answered ${response.status}`);
}

export async function startS3(p: Profile): Promise<Child> {
  if (!fs.existsSync(minioServer)) throw new Error(`${minioServer} is missing (scripts/setup.sh builds it)`);
  const dir = path.join(p.stateDir, 's3');
  fs.mkdirSync(dir, { recursive: true });
  const child = startChild({
    name: 's3',
    argv: [minioServer, 'server', '--address', `127.0.0.1:${p.s3Port}`, dir],
    env: {
      MINIO_ROOT_USER: S3_ACCESS_KEY_ID,
      MINIO_ROOT_PASSWORD: S3_SECRET_ACCESS_KEY,
      // No web console (one port fewer per profile) and no update checks (there is no network to ask).
      MINIO_BROWSER: 'off',
      MINIO_UPDATE: 'off',
    },
    logFile: path.join(p.logDir, 's3.log'),
  });
  await waitUntilReady(child, () => isReady(p.s3Port), 60_000);
  const client = localS3Client(s3Endpoint(p));
  try {
    await ensurePublicReadBucket(client, S3_BUCKET);
  } finally {
    client.destroy();
  }
  return child;
}
