/**
 * The configured OpenID providers (OIDC_PROVIDERS). Each is discovered from its issuer's
 * /.well-known/openid-configuration on first use, not at start: the API starts, and the other providers
 * work, while one provider is unreachable; a failed discovery is tried again on the next sign-in.
 */
import * as oidc from 'openid-client';
import type { OidcProviderConfig } from '../../config/env.js';
import { notFound } from '../errors.js';
import { toSsoError } from './provider-errors.js';

/** Seconds for each call to a provider (discovery, token, userinfo, keys); openid-client's default is 30. */
const PROVIDER_TIMEOUT_SECONDS = 10;

export interface SsoProvider {
  readonly id: string;
  readonly name: string;
  readonly settings: OidcProviderConfig;
  /** The discovered configuration; 503/502 (AppError) when the provider cannot be discovered. */
  configuration(): Promise<oidc.Configuration>;
}

/**
 * client_secret_basic unless the provider lists the methods it takes without it and with
 * client_secret_post: basic is what OpenID Connect Discovery says a provider takes when it lists none.
 */
function clientSecretAuth(secret: string): oidc.ClientAuth {
  const basic = oidc.ClientSecretBasic(secret);
  const post = oidc.ClientSecretPost(secret);
  return (server, client, body, headers) => {
    const methods = server.token_endpoint_auth_methods_supported;
    const usePost = methods && !methods.includes('client_secret_basic') && methods.includes('client_secret_post');
    (usePost ? post : basic)(server, client, body, headers);
  };
}

function provider(settings: OidcProviderConfig): SsoProvider {
  let discovered: Promise<oidc.Configuration> | undefined;
  const discover = () =>
    oidc.discovery(
      new URL(settings.issuer),
      settings.clientId,
      undefined,
      settings.clientSecret === undefined ? oidc.None() : clientSecretAuth(settings.clientSecret),
      {
        timeout: PROVIDER_TIMEOUT_SECONDS,
        // Configuration allows http issuers on this machine only (config/env.ts).
        execute: settings.issuer.startsWith('http:') ? [oidc.allowInsecureRequests] : [],
      },
    );
  return {
    id: settings.id,
    name: settings.name ?? settings.id,
    settings,
    configuration() {
      discovered ??= discover().catch((error: unknown) => {
        discovered = undefined; // the next sign-in tries again
        throw toSsoError(error);
      });
      return discovered;
    },
  };
}

export class SsoProviders {
  private readonly byId: Map<string, SsoProvider>;

  constructor(settings: OidcProviderConfig[]) {
    this.byId = new Map(settings.map((one) => [one.id, provider(one)]));
  }

  /** 404 NOT_FOUND for an id that is not configured (malformed ones included). */
  get(id: string): SsoProvider {
    const found = this.byId.get(id);
    if (!found) throw notFound('SSO provider');
    return found;
  }

  list(): { id: string; name: string }[] {
    return [...this.byId.values()].map(({ id, name }) => ({ id, name }));
  }
}
