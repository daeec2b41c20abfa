/**
 * Clients at addresses of their own, for the per-IP limits: the test API trusts X-Forwarded-For from
 * loopback (TRUST_PROXY=loopback), so each "client" is a documentation-range address (RFC 3849) in the
 * header, and no packet leaves 127.0.0.1. Every run takes a random /48, so counters left in Redis by
 * another run or test file never meet this one's.
 */
import { randomInt, randomUUID } from 'node:crypto';

const RUN_PREFIX = `2001:db8:${randomInt(1, 0xffff).toString(16)}`;
let next = 0;

/** A new address in a /64 of its own (per-IP limits count an IPv6 client by its /64). */
export const newAddress = () => `${RUN_PREFIX}:${(++next).toString(16)}::1`;

/** Another address in the same /64 as `address`. */
export const sameBlockAs = (address: string, host: number) => address.replace(/::1$/, `::${host.toString(16)}`);

export interface Reply<T> {
  status: number;
  retryAfter: string | null;
  body: T;
}

/** A JSON request from `address`: the status, Retry-After and the parsed body. */
export async function requestFrom<T = { error: { code: string; message: string; retryAfterSeconds?: number } }>(
  address: string,
  url: string,
  init: { method?: string; token?: string; body?: unknown } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { 'x-forwarded-for': address };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: JSON.parse(text) as T };
}

export interface Account {
  id: string;
  email: string;
  password: string;
  token: string;
}

/** Signs up and in from an address of its own (or the one given), so no other test's budget is spent. */
export async function signUpAt(baseUrl: string, address = newAddress()): Promise<Account> {
  const email = `user-${randomUUID()}@example.test`;
  const password = 'correct horse battery staple';
  const user = await requestFrom<{ id: string }>(address, `${baseUrl}/v1/users`, {
    body: { email, password, displayName: 'User' },
  });
  if (user.status !== 201) throw new Error(`sign-up failed: ${user.status} ${JSON.stringify(user.body)}`);
  const token = await requestFrom<{ accessToken: string }>(address, `${baseUrl}/v1/auth/token`, {
    body: { email, password },
  });
  if (token.status !== 200) throw new Error(`sign-in failed: ${token.status} ${JSON.stringify(token.body)}`);
  return { id: user.body.id, email, password, token: token.body.accessToken };
}
