/**
 * Just enough of a browser to walk an OpenID Connect sign-in over real HTTP: it keeps cookies (per
 * host and path, as RFC 6265 scopes them, so the API's and the provider's cookies never mix), follows
 * redirects one hop at a time (so a test can stop at any hop and look), and submits HTML forms.
 */
import assert from 'node:assert/strict';

interface Cookie {
  host: string;
  path: string;
  name: string;
  value: string;
}

export interface Hop {
  url: string;
  status: number;
  location: string | null;
  setCookies: string[];
  headers: Headers;
  text: string;
}

/** The attributes this helper honours: Path and Max-Age (0 deletes); the rest do not matter to the tests. */
function parseSetCookie(header: string, requestUrl: URL): Cookie & { expired: boolean } {
  const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
  const equals = pair.indexOf('=');
  const cookie = {
    host: requestUrl.host,
    // RFC 6265 §5.1.4: the default path is the request path up to its last slash.
    path: requestUrl.pathname.slice(0, Math.max(1, requestUrl.pathname.lastIndexOf('/'))),
    name: pair.slice(0, equals),
    value: pair.slice(equals + 1),
    expired: false,
  };
  for (const attribute of attributes) {
    const [key = '', value = ''] = attribute.split('=');
    if (key.toLowerCase() === 'path') cookie.path = value;
    if (key.toLowerCase() === 'max-age' && Number(value) <= 0) cookie.expired = true;
    if (key.toLowerCase() === 'expires' && Date.parse(value) <= Date.now()) cookie.expired = true;
  }
  return cookie;
}

const pathMatches = (cookiePath: string, requestPath: string) =>
  requestPath === cookiePath ||
  (requestPath.startsWith(cookiePath) && (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'));

export class Browser {
  private cookies: Cookie[] = [];

  /** The cookies this browser would send to `url`, as `name=value` pairs. */
  cookiesFor(url: string): Cookie[] {
    const target = new URL(url);
    return this.cookies.filter((cookie) => cookie.host === target.host && pathMatches(cookie.path, target.pathname));
  }

  /**
   * One request, no redirect followed. `form` submits a form; `json` and `headers` are what a page's
   * script would send with fetch (same origin, credentials included).
   */
  async request(
    url: string,
    init: { method?: string; form?: Record<string, string>; json?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Hop> {
    const headers: Record<string, string> = { ...init.headers };
    const cookies = this.cookiesFor(url);
    if (cookies.length > 0) headers.cookie = cookies.map(({ name, value }) => `${name}=${value}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const response = await fetch(url, {
      method: init.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
      redirect: 'manual',
    });
    const setCookies = response.headers.getSetCookie();
    this.accept(url, setCookies);
    const location = response.headers.get('location');
    return {
      url,
      status: response.status,
      location: location === null ? null : new URL(location, url).href,
      setCookies,
      headers: response.headers,
      text: await response.text(),
    };
  }

  /** Follows redirects until an answer that is not one, or until `stopAt` says a hop's Location is far enough. */
  async follow(url: string, stopAt: (location: string) => boolean = () => false): Promise<Hop> {
    let hop = await this.request(url);
    for (let hops = 0; hop.location !== null && hop.status >= 300 && hop.status < 400; hops++) {
      assert.ok(hops < 20, `too many redirects from ${url}`);
      if (stopAt(hop.location)) return hop;
      hop = await this.request(hop.location);
    }
    return hop;
  }

  /** Submits the page's (first) form with its hidden inputs and `fields`, and follows where it leads. */
  async submitForm(page: Hop, fields: Record<string, string>, stopAt?: (location: string) => boolean): Promise<Hop> {
    const form = /<form[^>]*\baction="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(page.text);
    assert.ok(form, `no form on ${page.url}: ${page.status} ${page.text.slice(0, 200)}`);
    const decode = (value: string) => value.replace(/&amp;/g, '&').replace(/&quot;/g, '"');
    const values: Record<string, string> = {};
    for (const input of form[2]!.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"/g)) {
      values[decode(input[1]!)] = decode(input[2]!);
    }
    const hop = await this.request(new URL(decode(form[1]!), page.url).href, { form: { ...values, ...fields } });
    if (hop.location === null || (stopAt && stopAt(hop.location))) return hop;
    return this.follow(hop.location, stopAt);
  }

  /** Keeps cookies as if `url` had answered with these Set-Cookie headers (a copy of someone's cookie, say). */
  accept(url: string, setCookies: string[]): void {
    for (const header of setCookies) this.store(parseSetCookie(header, new URL(url)));
  }

  private store(cookie: Cookie & { expired: boolean }): void {
    const { expired, ...kept } = cookie;
    this.cookies = this.cookies.filter((c) => !(c.host === kept.host && c.path === kept.path && c.name === kept.name));
    if (!expired) this.cookies.push(kept);
  }
}
