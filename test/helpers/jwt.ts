/**
 * Tokens made by hand, to show what verification refuses: any header, any claims, any signature.
 * Built with node:crypto rather than jose, so a refusal cannot come from the library refusing to sign.
 */
import { createHmac, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';

const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** `header.payload.signature`, the signature made over `header.payload` by `signer` (none: empty). */
export function craftToken(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  signer: (signingInput: string) => Buffer = () => Buffer.alloc(0),
): string {
  const signingInput = `${segment(header)}.${segment(payload)}`;
  return `${signingInput}.${signer(signingInput).toString('base64url')}`;
}

/** ES256 as JWS wants it: the raw r||s pair (IEEE P1363), not DER. */
export const es256Signer = (privateKeyPem: string) => (input: string) =>
  sign('sha256', Buffer.from(input), { key: privateKeyPem, dsaEncoding: 'ieee-p1363' });

export const hs256Signer = (secret: string | Buffer) => (input: string) =>
  createHmac('sha256', secret).update(input).digest();

/** A fresh P-256 private key, PEM PKCS#8, as `openssl genpkey` writes it. */
export const newEs256PrivateKeyPem = () =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** The public key of a JWK (e.g. from the JWKS) as SPKI PEM: the bytes a key-confusion attacker would use. */
export const publicKeyPemOf = ({ kty, crv, x, y }: { kty: string; crv: string; x: string; y: string }) =>
  createPublicKey({ key: { kty, crv, x, y }, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();

/** The claims issue() writes, valid for an hour from now unless overridden. */
export function claims(overrides: Record<string, unknown> & { sub: string; iss: string }): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iat: now, exp: now + 3600, jti: 'crafted', ...overrides };
}
