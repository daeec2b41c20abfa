/** A small JSON client for tests: real HTTP, the status and the parsed body, nothing hidden. */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { PublicAuction } from '../../api/auctions/presenter.js';
import type { sessionTokens } from '../../api/auth/responses.js';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export async function call<T = Record<string, unknown>>(
  url: string,
  init: { method?: string; token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined || init.raw !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method: init.method ?? (init.body !== undefined || init.raw !== undefined ? 'POST' : 'GET'),
    headers,
    body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

/** Registers a user and signs in: returns the id and a bearer token. */
export async function signUp(baseUrl: string, name = 'user'): Promise<{ id: string; token: string; email: string }> {
  const email = `${name}-${randomUUID()}@example.test`;
  const password = 'correct horse battery staple';
  const user = await call<{ id: string }>(`${baseUrl}/v1/users`, { body: { email, password, displayName: name } });
  if (user.status !== 201) throw new Error(`sign-up failed: ${user.status} ${JSON.stringify(user.body)}`);
  const token = await call<{ accessToken: string }>(`${baseUrl}/v1/auth/token`, { body: { email, password } });
  if (token.status !== 200) throw new Error(`sign-in failed: ${token.status}`);
  return { id: user.body.id, token: token.body.accessToken, email };
}

/** The API's own type: a field is declared once. */
export type AuctionJson = PublicAuction;

/** What a sign-in (password or SSO) and a refresh answer, as the API's schema declares it. */
export type SessionJson = z.infer<typeof sessionTokens>;

export interface BidJson {
  seq: number;
  leading: boolean;
  currentPrice: number;
  minimumNextBid: number;
  endsAt: string;
}

export interface ErrorJson {
  error: { code: string; message: string; minimumNextBid?: number };
}
