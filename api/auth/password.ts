/**
 * Password hashing with scrypt (node:crypto): memory-hard, so guessing at scale needs memory as well as
 * cores. A stored hash names its own parameters, `scrypt$N$r$p$salt$hash` (base64url), so they can be
 * raised later while older hashes still verify.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParameters {
  N: number;
  r: number;
  p: number;
}

/**
 * 32 MiB and ~60 ms per hash on the 2-core dev machine. OWASP's floor is N=2^17 (128 MiB): four sign-ins
 * at once on the thread pool would then hold half a gigabyte. Raise N when the hosts allow; old hashes
 * keep verifying with the parameters they carry.
 */
export const SCRYPT_PARAMETERS: ScryptParameters = { N: 2 ** 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** Bounds on what a stored hash may ask for, so a corrupt or planted row cannot make us allocate gigabytes. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

/** The async scrypt runs on libuv's thread pool: hashing never blocks the event loop. */
function derive(password: string, salt: Buffer, keyLength: number, { N, r, p }: ScryptParameters): Promise<Buffer> {
  // scrypt needs about 128·N·r bytes; Node's default cap (32 MiB) is exactly what N=2^15 r=8 needs, and refuses it.
  const options: ScryptOptions = { N, r, p, maxmem: 2 * 128 * N * r };
  return new Promise((resolve, reject) => {
    // NFKC: the same password typed on different keyboards/OSes may arrive as different code points.
    scrypt(password.normalize('NFKC'), salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, HASH_BYTES, SCRYPT_PARAMETERS);
  const { N, r, p } = SCRYPT_PARAMETERS;
  return ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

interface StoredHash extends ScryptParameters {
  salt: Buffer;
  hash: Buffer;
}

const DECIMAL = /^[1-9]\d{0,9}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The parts of a stored hash, or null when it is not one this module wrote (or could have). */
export function parseStoredHash(stored: string): StoredHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  if (![n, r, p].every((part) => DECIMAL.test(part)) || ![salt, hash].every((part) => BASE64URL.test(part))) {
    return null;
  }
  const parameters = { N: Number(n), r: Number(r), p: Number(p) };
  const powerOfTwo = (parameters.N & (parameters.N - 1)) === 0;
  if (!powerOfTwo || parameters.N < 2 || parameters.N > MAX_N || parameters.r > MAX_R || parameters.p > MAX_P) {
    return null;
  }
  const decoded = { salt: Buffer.from(salt, 'base64url'), hash: Buffer.from(hash, 'base64url') };
  if (decoded.salt.length < SALT_BYTES || decoded.hash.length < 16) return null;
  return { ...parameters, ...decoded };
}

/** False for a wrong password and for anything that is not a well-formed stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStoredHash(stored);
  if (!parsed) return false;
  const candidate = await derive(password, parsed.salt, parsed.hash.length, parsed);
  return timingSafeEqual(candidate, parsed.hash);
}
