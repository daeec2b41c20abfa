import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { test } from 'node:test';
import { routeTemplate } from '../tracing/route-name.js';

function incoming(routed: { baseUrl?: string; route?: { path: string } }): http.IncomingMessage {
  return Object.assign(new http.IncomingMessage(new net.Socket()), routed);
}

test('when express matched a route at the root, then the span is named by its template', () => {
  assert.equal(
    routeTemplate(incoming({ baseUrl: '', route: { path: '/v1/auctions/:id/bids' } })),
    '/v1/auctions/:id/bids',
  );
});

test('when the route is in a router mounted below the root, then the mount path comes first', () => {
  assert.equal(routeTemplate(incoming({ baseUrl: '/v1/admin', route: { path: '/users/:id' } })), '/v1/admin/users/:id');
});

test('when no route matched (a 404), then there is no template', () => {
  assert.equal(routeTemplate(incoming({})), null);
});

test('when the span is an outgoing request, then it keeps the name the instrumentation gave it', () => {
  const outgoing = Object.assign(Object.create(http.ClientRequest.prototype) as http.ClientRequest, {
    route: { path: '/not/a/server/route' },
  });
  assert.equal(routeTemplate(outgoing), null);
});
