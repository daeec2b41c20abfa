/**
 * A real OpenID Provider (the `oidc-provider` package, certified) in the test process, over real HTTP on
 * 127.0.0.1: discovery, authorization with its own login and consent pages (devInteractions: any login
 * name signs in as the account of that id, the password is not checked), the token endpoint with PKCE,
 * ID tokens signed with its own RSA key, and userinfo. The accounts are the test's to change.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type ClientMetadata } from 'oidc-provider';

export interface TestAccount {
  email?: string;
  /** Sent as is: a boolean, or the string some providers send, or absent. */
  emailVerified?: boolean | string;
  /** Entra ID's optional claim "email domain owner verified", sent instead of email_verified. */
  emailDomainOwnerVerified?: boolean;
  name?: string;
}

export interface TestClient {
  clientId: string;
  /** None: a public client (token_endpoint_auth_method none; PKCE alone). */
  clientSecret?: string;
  redirectUris: string[];
}

export interface TestProviderOptions {
  clients: TestClient[];
  /**
   * Put the email and name in the ID token too. By default oidc-provider, as the spec suggests for the
   * code flow, serves them only from userinfo; the relying party must handle both.
   */
  claimsInIdToken?: boolean;
}

export interface TestProvider {
  issuer: string;
  /** The accounts by id (the `sub`): add or change them at any time. */
  accounts: Map<string, TestAccount>;
  close(): Promise<void>;
}

export async function startOidcProvider(options: TestProviderOptions): Promise<TestProvider> {
  // Listening first, so the issuer (which names the port) is known before the provider is made.
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, TestAccount>();
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });

  const clients: ClientMetadata[] = options.clients.map((client) => ({
    client_id: client.clientId,
    ...(client.clientSecret === undefined
      ? { token_endpoint_auth_method: 'none' }
      : { client_secret: client.clientSecret, token_endpoint_auth_method: 'client_secret_basic' }),
    redirect_uris: client.redirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }));

  const provider = new Provider(issuer, {
    clients,
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'test-key' }] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified', 'xms_edov'], profile: ['name'] },
    conformIdTokenClaims: !options.claimsInIdToken,
    // PKCE for every client, confidential ones too: as the relying party always sends it.
    pkce: { required: () => true },
    ttl: { AuthorizationCode: 60, AccessToken: 600, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
    findAccount(_ctx, id) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        claims: () => ({
          sub: id,
          ...(account.email === undefined ? {} : { email: account.email }),
          ...(account.emailVerified === undefined ? {} : { email_verified: account.emailVerified }),
          ...(account.emailDomainOwnerVerified === undefined ? {} : { xms_edov: account.emailDomainOwnerVerified }),
          ...(account.name === undefined ? {} : { name: account.name }),
        }),
      };
    },
  });
  server.on('request', provider.callback());

  return {
    issuer,
    accounts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
