import { useEffect, useState } from 'preact/hooks';
import { api, call, type Schemas } from '../api/client';

/** One link per configured SSO provider: plain navigation to the API's start route, which redirects. */
export function SsoButtons() {
  const [providers, setProviders] = useState<Schemas['SsoProviders']['providers']>([]);
  useEffect(() => {
    call(() => api.GET('/v1/auth/sso')).then(
      (answer) => setProviders(answer.providers),
      () => undefined,
    );
  }, []);
  if (providers.length === 0) return null;
  return (
    <div class="sso">
      <p class="muted">Or continue with</p>
      <ul>
        {providers.map((provider) => (
          <li key={provider.id}>
            <a class="button secondary" href={`/v1/auth/sso/${encodeURIComponent(provider.id)}/start?client=web`}>
              {provider.name}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
