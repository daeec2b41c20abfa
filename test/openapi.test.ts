/**
 * The OpenAPI document: 3.1, generated from the routes' own schemas, listing exactly the routes the
 * app serves, served at /openapi.json and readable at /docs/ without anything from outside.
 * (test/openapi-fuzz.test.ts holds the live API to it.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildOpenApiDocument } from '../api/openapi/document.js';
import { routesOf } from '../api/route-table.js';
import { startTestApi, type TestApi } from './helpers/api.js';

type Json = Record<string, unknown>;
const document = buildOpenApiDocument() as unknown as Json & {
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json>; securitySchemes: Record<string, Json> };
};
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(() => api.close());

describe('the document', () => {
  test('when built, then it is OpenAPI 3.1 with the bearer scheme and the shared shapes as components', () => {
    assert.equal(document.openapi, '3.1.0');
    assert.deepEqual(document.components.securitySchemes.bearerAuth, {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: document.components.securitySchemes.bearerAuth!.description,
    });
    for (const name of ['Auction', 'AuctionPage', 'PlacedBid', 'BidPage', 'User', 'SessionTokens', 'BidRequest']) {
      assert.ok(document.components.schemas[name], `component ${name}`);
    }
  });

  test('when compared with the app, then every route it serves is documented and every documented operation is served', () => {
    const served = routesOf(api.app)
      .map(({ method, path }) => `${method} ${path.replace(/:(\w+)/g, '{$1}')}`)
      .sort();
    const documented = Object.entries(document.paths)
      .flatMap(([path, item]) => METHODS.filter((m) => m in item).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    assert.deepEqual(documented, served);
    assert.ok(served.includes('POST /v1/auctions/{id}/bids'));
  });

  test('when a route needs a token, then the document says so, and says what a missing one answers', () => {
    const guarded = [
      'POST /v1/auctions',
      'POST /v1/auctions/{id}/cancel',
      'POST /v1/auctions/{id}/relist',
      'POST /v1/auctions/{id}/bids',
      'POST /v1/auctions/{id}/retractions',
      'GET /v1/auctions/{id}/bidders',
      'GET /v1/users/me',
      'GET /v1/users/me/auctions',
      'POST /v1/auctions/{id}/images',
      'DELETE /v1/auctions/{id}/images/{imageId}',
      'DELETE /v1/users/me',
      'POST /v1/users/me/webhooks',
      'GET /v1/users/me/webhooks',
      'DELETE /v1/users/me/webhooks/{id}',
      'GET /v1/users/me/webhooks/{id}/deliveries',
      'PUT /v1/users/me/watchlist/{auctionId}',
      'DELETE /v1/users/me/watchlist/{auctionId}',
      'GET /v1/users/me/watchlist',
      'GET /v1/users/me/bids',
      'GET /v1/users/me/notification-settings',
      'PUT /v1/users/me/notification-settings',
      'GET /v1/users/me/notifications',
      'POST /v1/users/me/notifications/read',
      'POST /v1/users/me/events/ticket',
      'GET /v1/orders/{id}',
      'POST /v1/orders/{id}/checkout',
      'GET /v1/users/me/orders',
      'GET /v1/users/me/payouts',
      'POST /v1/auctions/{id}/second-chance',
      'GET /v1/offers/{id}',
      'POST /v1/offers/{id}/accept',
      'POST /v1/offers/{id}/decline',
      'POST /v1/sales',
      'POST /v1/sales/{id}/cancel',
      'POST /v1/sales/{id}/claims',
      'POST /v1/sales/{id}/waitlist',
      'DELETE /v1/sales/{id}/waitlist',
      'GET /v1/admin/users/{id}',
      'PUT /v1/admin/users/{id}/role',
      'POST /v1/admin/users/{id}/block',
      'POST /v1/admin/users/{id}/unblock',
      'POST /v1/admin/auctions/{id}/cancel',
      'POST /v1/admin/auctions/{id}/voids',
      'POST /v1/admin/sales/{id}/cancel',
      'GET /v1/admin/audit',
      'POST /v1/admin/promotions',
      'GET /v1/admin/promotions',
      'GET /v1/admin/promotions/{id}',
      'PATCH /v1/admin/promotions/{id}',
      'DELETE /v1/admin/promotions/{id}',
    ];
    // Public, but a token, when given, must be valid: the event stream (it counts toward the per-user
    // stream cap), the auction and its bid history (a token shows the bidder ids its user may see; with
    // bidder=me the history lists the caller's own bids).
    const optionallyGuarded = [
      'GET /v1/auctions/{id}/events',
      'GET /v1/sales/{id}/events',
      'GET /v1/auctions/{id}',
      'GET /v1/auctions/{id}/bids',
    ];
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of METHODS.filter((m) => m in item)) {
        const operation = item[method] as { security?: unknown; responses: Json };
        if (optionallyGuarded.includes(`${method.toUpperCase()} ${path}`)) {
          assert.deepEqual(operation.security, [{}, { bearerAuth: [] }]);
          assert.ok(operation.responses['401'], `${method} ${path} documents a bad token`);
          continue;
        }
        if (`${method.toUpperCase()} ${path}` === 'GET /v1/users/me/events') {
          // A browser's EventSource sends no headers: a bearer token, or a ticket in the query.
          assert.deepEqual(operation.security, [{ bearerAuth: [] }, {}]);
          assert.ok(operation.responses['401'], 'the live stream documents a missing token or ticket');
          continue;
        }
        const isGuarded = guarded.includes(`${method.toUpperCase()} ${path}`);
        assert.equal(operation.security !== undefined, isGuarded, `${method} ${path} security`);
        if (isGuarded) assert.ok(operation.responses['401'], `${method} ${path} documents 401`);
      }
    }
  });

  test("when a route is an admin's, then the document says anyone else is answered 403 FORBIDDEN", () => {
    const admin = Object.entries(document.paths).filter(([path]) => path.startsWith('/v1/admin/'));
    assert.ok(admin.length >= 7);
    for (const [path, item] of admin) {
      for (const method of METHODS.filter((m) => m in item)) {
        const forbidden = (item[method] as { responses: Record<string, unknown> }).responses['403'];
        assert.match(JSON.stringify(forbidden), /FORBIDDEN/, `${method} ${path}`);
      }
    }
  });

  test('when a route sells or buys anew, then the document says a blocked account is answered 403 ACCOUNT_BLOCKED', () => {
    for (const [path, method] of [
      ['/v1/auctions', 'post'],
      ['/v1/auctions/{id}/bids', 'post'],
      ['/v1/auctions/{id}/relist', 'post'],
      ['/v1/auctions/{id}/second-chance', 'post'],
      ['/v1/sales', 'post'],
      ['/v1/sales/{id}/claims', 'post'],
      ['/v1/sales/{id}/waitlist', 'post'],
      ['/v1/offers/{id}/accept', 'post'],
    ] as const) {
      const forbidden = (document.paths[path]![method] as { responses: Record<string, unknown> }).responses['403'];
      assert.match(JSON.stringify(forbidden), /ACCOUNT_BLOCKED/, `${method} ${path}`);
    }
  });

  test('when a route may be rate limited, then 429 is documented with Retry-After', () => {
    for (const [path, method] of [
      ['/v1/auctions/{id}/bids', 'post'],
      ['/v1/sales/{id}/claims', 'post'],
      ['/v1/auth/token', 'post'],
      ['/v1/users', 'post'],
      ['/v1/auctions/{id}/images', 'post'],
      ['/v1/auth/refresh', 'post'],
      ['/v1/auth/logout', 'post'],
      ['/v1/auth/sso/{provider}/start', 'get'],
      ['/v1/auth/sso/{provider}/callback', 'get'],
    ] as const) {
      const tooMany = (document.paths[path]![method] as { responses: Record<string, { headers?: Json }> }).responses[
        '429'
      ];
      assert.ok(tooMany?.headers?.['Retry-After'], `${method} ${path}`);
    }
  });

  test('when every $ref is followed, then it resolves to a component', () => {
    const refs = new Set<string>();
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string') refs.add(value);
          else collect(value);
        }
      }
    };
    collect(document);
    assert.ok(refs.size > 10);
    for (const ref of refs) {
      const [, kind, name] = /^#\/components\/(\w+)\/(.+)$/.exec(ref) ?? [];
      assert.ok(kind && name && (document.components as Record<string, Json>)[kind]?.[name], `${ref} resolves`);
    }
  });
});

describe('serving it', () => {
  test('when /openapi.json is fetched, then it is the document, as JSON', async () => {
    const response = await fetch(`${api.url}/openapi.json`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await response.json(), JSON.parse(JSON.stringify(document)));
  });

  test('when /docs is opened, then it lands on an HTML page whose scripts and styles are all served here', async () => {
    const response = await fetch(`${api.url}/docs`);
    assert.equal(response.status, 200);
    assert.equal(new URL(response.url).pathname, '/docs/', 'redirected so relative asset URLs resolve');
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    const html = await response.text();
    assert.match(html, /<div id="swagger-ui">/);
    const assets = [...html.matchAll(/(?:src|href)=["']([^"']+)["']/g)].map((match) => match[1]!);
    assert.ok(assets.length >= 4, assets.join(', '));
    for (const asset of assets) {
      assert.doesNotMatch(asset, /^(https?:)?\/\//, `${asset} would come from elsewhere`);
      const served = await fetch(new URL(asset, response.url));
      assert.equal(served.status, 200, asset);
      await served.arrayBuffer();
    }
  });

  test('when the page starts, then it reads this server’s document and calls no online validator', async () => {
    const init = await (await fetch(`${api.url}/docs/swagger-ui-init.js`)).text();
    assert.match(init, /"swaggerUrl": "\.\.\/openapi\.json"/);
    assert.match(init, /"validatorUrl": null/);
  });
});
