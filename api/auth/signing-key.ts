/** The ES256 key pair that signs access tokens, its public JWK and its key id. */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, importPKCS8, type CryptoKey } from 'jose';
import { TOKEN_ALGORITHM, type PublicJwk } from './responses.js';

export interface SigningKey {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  keyId: string;
  publicJwk: PublicJwk;
}

/**
 * Loads the configured PEM (PKCS#8) or, with none, generates a key that lives as long as this process.
 * Extractable, because the public JWK is derived from the private key's export.
 */
export async function loadSigningKey(privateKeyPem: string | null, keyId: string | null): Promise<SigningKey> {
  const privateKey = privateKeyPem
    ? await importPKCS8(privateKeyPem, TOKEN_ALGORITHM, { extractable: true })
    : (await generateKeyPair(TOKEN_ALGORITHM, { extractable: true })).privateKey;
  const { kty, crv, x, y } = await exportJWK(privateKey); // everything but the private scalar `d`
  if (kty !== 'EC' || crv !== 'P-256' || !x || !y) throw new Error('The token signing key is not an EC P-256 key');
  const kid = keyId ?? (await calculateJwkThumbprint({ kty, crv, x, y }));
  return {
    privateKey,
    publicKey: await importJWK({ kty: 'EC' as const, crv, x, y }, TOKEN_ALGORITHM),
    keyId: kid,
    publicJwk: { kty, crv, x, y, kid, alg: TOKEN_ALGORITHM, use: 'sig' },
  };
}
