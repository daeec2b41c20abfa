/**
 * The anti-bot check of sales with requireChallenge: an ALTCHA proof-of-work challenge (altcha-lib, the
 * v1 protocol: SHA-256 over salt + a number the client must find, signed with HMAC). The salt names the
 * sale and carries the expiry, and the signature covers it, so a challenge is useless on another sale
 * and after it expires. Verified in memory (no database, no Redis); that each challenge serves one claim
 * only is the claim script's (it remembers the challenge's signature until it expires).
 */
import { createChallenge, extractParams, verifySolution } from 'altcha-lib/v1';
import type { Payload } from 'altcha-lib/v1/types';
import { AppError } from '../errors.js';
import type { SaleChallenge } from './responses.js';

export interface ChallengePolicy {
  hmacKey: string;
  maxNumber: number;
  ttlSeconds: number;
}

export async function issueChallenge(policy: ChallengePolicy, saleId: string): Promise<SaleChallenge> {
  const challenge = await createChallenge({
    hmacKey: policy.hmacKey,
    maxNumber: policy.maxNumber,
    expires: new Date(Date.now() + policy.ttlSeconds * 1000),
    params: { sale: saleId },
  });
  return {
    algorithm: challenge.algorithm,
    challenge: challenge.challenge,
    maxnumber: challenge.maxnumber ?? policy.maxNumber,
    salt: challenge.salt,
    signature: challenge.signature,
  };
}

/** What a verified solution leaves for the claim script: a mark to remember, and for how long. */
export interface VerifiedSolution {
  mark: string;
  ttlMs: number;
}

const required = () =>
  new AppError(400, 'CHALLENGE_REQUIRED', 'This sale asks for a solved challenge: GET its /challenge, send X-Altcha');
const invalid = () =>
  new AppError(400, 'CHALLENGE_INVALID', 'The challenge solution is forged, expired, or for another sale');

function decode(header: string): Payload | null {
  try {
    const payload: unknown = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
    if (typeof payload !== 'object' || payload === null) return null;
    const p = payload as Record<string, unknown>;
    const ok =
      p.algorithm === 'SHA-256' &&
      typeof p.challenge === 'string' &&
      typeof p.salt === 'string' &&
      typeof p.signature === 'string' &&
      /^[0-9a-f]{64}$/.test(p.signature) &&
      Number.isSafeInteger(p.number);
    return ok ? (payload as Payload) : null;
  } catch {
    return null;
  }
}

/** Checks an X-Altcha header for this sale; throws CHALLENGE_REQUIRED or CHALLENGE_INVALID. */
export async function verifyChallenge(
  policy: ChallengePolicy,
  saleId: string,
  header: string | undefined,
): Promise<VerifiedSolution> {
  if (header === undefined || header === '') throw required();
  const payload = decode(header);
  if (payload === null) throw invalid();
  const params = extractParams(payload);
  if (params.sale !== saleId) throw invalid();
  const expiresAtMs = Number(params.expires) * 1000;
  if (!Number.isSafeInteger(expiresAtMs)) throw invalid();
  // verifySolution checks the expiry too; this keeps the mark's lifetime and the check on one clock.
  const ttlMs = expiresAtMs - Date.now();
  if (ttlMs <= 0) throw invalid();
  if (!(await verifySolution(payload, policy.hmacKey, true).catch(() => false))) throw invalid();
  return { mark: payload.signature, ttlMs };
}
