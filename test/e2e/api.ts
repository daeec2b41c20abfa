/**
 * The API over HTTP, for what a scenario sets up faster than a person would click it (accounts,
 * auctions, sales) and for the bids it times. Plain fetch against the base URL the browser uses.
 */
import { randomUUID } from 'node:crypto';
import { E2E_ADMIN_EMAIL } from './env.js';

export const PASSWORD = 'correct horse battery staple';

export interface User {
  id: string;
  email: string;
  displayName: string;
  token: string;
}

export interface Answer<T> {
  status: number;
  body: T;
}

export class Api {
  constructor(readonly baseUrl: string) {}

  async call<T>(path: string, init: { method?: string; token?: string; body?: unknown } = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = {};
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  }

  /** Like call, but anything other than `status` is the test's failure, with the API's answer in it. */
  async expect<T>(status: number, path: string, init: Parameters<Api['call']>[1] = {}): Promise<T> {
    const answer = await this.call<T>(path, init);
    if (answer.status !== status) {
      throw new Error(`${init.method ?? 'POST/GET'} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    return answer.body;
  }

  /** A new account (a unique email) and its bearer token. */
  async signUp(displayName: string): Promise<User> {
    const email = `${displayName.toLowerCase().replace(/\W+/g, '-')}-${randomUUID()}@example.test`;
    const { id } = await this.expect<{ id: string }>(201, '/v1/users', {
      body: { email, password: PASSWORD, displayName },
    });
    const { accessToken } = await this.expect<{ accessToken: string }>(200, '/v1/auth/token', {
      body: { email, password: PASSWORD },
    });
    return { id, email, displayName, token: accessToken };
  }

  /** The admin by ADMIN_EMAILS (E2E_ADMIN_EMAIL): signed up by the first test that asks, signed in after. */
  async admin(): Promise<User> {
    const email = E2E_ADMIN_EMAIL;
    const created = await this.call<{ id: string }>('/v1/users', {
      body: { email, password: PASSWORD, displayName: 'Ada Admin' },
    });
    if (created.status !== 201 && created.status !== 409) throw new Error(`admin sign-up: ${created.status}`);
    const { accessToken } = await this.expect<{ accessToken: string }>(200, '/v1/auth/token', {
      body: { email, password: PASSWORD },
    });
    const me = await this.expect<{ id: string }>(200, '/v1/users/me', { method: 'GET', token: accessToken });
    return { id: me.id, email, displayName: 'Ada Admin', token: accessToken };
  }

  createAuction(seller: User, body: Record<string, unknown>): Promise<Auction> {
    return this.expect<Auction>(201, '/v1/auctions', {
      token: seller.token,
      body: { description: 'Made for an end-to-end test.', startingPrice: 1000, ...body },
    });
  }

  bid(bidder: User, auctionId: string, amount: number): Promise<PlacedBid> {
    return this.expect<PlacedBid>(201, `/v1/auctions/${auctionId}/bids`, { token: bidder.token, body: { amount } });
  }

  createSale(seller: User, body: Record<string, unknown>): Promise<Sale> {
    return this.expect<Sale>(201, '/v1/sales', {
      token: seller.token,
      body: { description: 'Made for an end-to-end test.', price: 2500, perUserLimit: 1, ...body },
    });
  }

  claim(buyer: User, saleId: string, quantity = 1): Promise<{ orderId: string }> {
    return this.expect(201, `/v1/sales/${saleId}/claims`, { token: buyer.token, body: { quantity } });
  }

  /** A photo for an auction (multipart, as a seller's browser sends it). */
  async addImage(seller: User, auctionId: string, png: Buffer): Promise<void> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'photo.png');
    const response = await fetch(`${this.baseUrl}/v1/auctions/${auctionId}/images`, {
      method: 'POST',
      headers: { authorization: `Bearer ${seller.token}` },
      body: form,
    });
    if (response.status !== 201) throw new Error(`image upload: ${response.status} ${await response.text()}`);
  }
}

export interface Auction {
  id: string;
  endsAt: string;
  currentPrice: number;
  minimumNextBid: number;
  currency: string;
}

export interface PlacedBid {
  seq: number;
  leading: boolean;
  currentPrice: number;
  minimumNextBid: number;
  endsAt: string;
  extended: boolean;
  /** The bidder's own alias on the auction ("Bidder 2"). */
  bidderAlias: string | null;
}

export interface Sale {
  id: string;
  stock: number;
  available: number;
}

/** The price as the page shows it (web/src/format.ts money(), in the tests' en-US locale). */
export function money(minorUnits: number, currency = 'USD'): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(minorUnits / 100);
}
