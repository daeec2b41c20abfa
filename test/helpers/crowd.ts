/**
 * Thousands of users at once, for the flash-sale bursts: rows inserted in bulk (no password: signing up
 * 5,000 people one scrypt hash at a time would take minutes) and access tokens issued with the API's
 * own token service and signing key, so the API accepts them as its own.
 */
import { randomUUID } from 'node:crypto';
import { createTokenService } from '../../api/auth/tokens.js';
import type { Database } from '../../db/pool.js';
import { users } from '../../db/schema.js';
import { newEs256PrivateKeyPem } from './jwt.js';

export interface CrowdMember {
  id: string;
  token: string;
}

/** A signing key for the API under test: pass `env` to startTestApi, then make the crowd with `key`. */
export function crowdSigningKey() {
  const privateKey = newEs256PrivateKeyPem();
  return { privateKey, env: { JWT_PRIVATE_KEY: privateKey } };
}

export async function crowd(db: Database, privateKey: string, size: number, label = 'crowd'): Promise<CrowdMember[]> {
  const tokens = await createTokenService({ privateKey, keyId: null, issuer: 'gavel', ttlSeconds: 3600 });
  const members = Array.from({ length: size }, () => ({ id: randomUUID() }));
  for (let i = 0; i < members.length; i += 1000) {
    await db
      .insert(users)
      .values(
        members.slice(i, i + 1000).map(({ id }) => ({ id, email: `${label}-${id}@example.com`, displayName: label })),
      );
  }
  return Promise.all(members.map(async ({ id }) => ({ id, token: (await tokens.issue(id)).accessToken })));
}
