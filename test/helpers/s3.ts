/**
 * A bucket of the test's own on the test stack's MinIO (public-read like the stack's), so a test can
 * count exactly what its uploads stored. Emptied and removed at the end.
 */
import { randomBytes } from 'node:crypto';
import {
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import { ensurePublicReadBucket, localS3Client } from '../../scripts/stack/s3.js';
import { testConfig } from './config.js';

export interface TestBucket {
  name: string;
  endpoint: string;
  /** The config that points an API at this bucket. */
  env: Record<string, string>;
  /** Every key in the bucket, sorted. */
  keys: () => Promise<string[]>;
  /** Deletes an object behind the API's back, as a delete caught half way leaves it. */
  removeObject: (key: string) => Promise<void>;
  drop: () => Promise<void>;
}

export async function createTestBucket(): Promise<TestBucket> {
  const endpoint = testConfig().S3_ENDPOINT;
  if (!endpoint) throw new Error('S3_ENDPOINT is not set: run the tests with npm test');
  const client = localS3Client(endpoint);
  const name = `test-${randomBytes(6).toString('hex')}`;
  await ensurePublicReadBucket(client, name);
  const keys = async () => {
    const listed = await client.send(new ListObjectsV2Command({ Bucket: name }));
    return (listed.Contents ?? []).map((object) => object.Key!).sort();
  };
  return {
    name,
    endpoint,
    env: { S3_BUCKET: name, S3_PUBLIC_BASE_URL: `${endpoint}/${name}` },
    keys,
    removeObject: async (key) => {
      await client.send(new DeleteObjectCommand({ Bucket: name, Key: key }));
    },
    drop: async () => {
      const left = await keys();
      if (left.length > 0) {
        await client.send(
          new DeleteObjectsCommand({ Bucket: name, Delete: { Objects: left.map((Key) => ({ Key })) } }),
        );
      }
      await client.send(new DeleteBucketCommand({ Bucket: name }));
      client.destroy();
    },
  };
}
