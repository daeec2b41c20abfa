/**
 * What the API's shared middleware (pino-http logging, metrics, JSON body parser, error handling)
 * costs per request: GET /healthz through the real app, beside a bare express route and a bare
 * node:http server answering the same JSON, all in this one process and run. Also /readyz, which
 * pings Postgres, Redis and Temporal on every call.
 */
import http from 'node:http';
import express from 'express';
import { pino } from 'pino';
import { buildApi } from '../api/build.js';
import { connectDependencies } from '../api/dependencies.js';
import { listen, portOf } from '../api/server.js';
import { parseConfig } from '../config/env.js';
import { load, rssMiB, type LoadResult } from './load.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);

async function bareNode(): Promise<http.Server> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function bareExpress(): Promise<http.Server> {
  const app = express();
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  return listen(app, '127.0.0.1', 0);
}

async function gavelApi() {
  const config = parseConfig(process.env);
  const deps = connectDependencies(config);
  // Logging stays on (at info, to a discarded stream) so its cost is measured, not skipped.
  const { app } = await buildApi(config, deps, pino({ level: 'info' }, pino.destination('/dev/null')));
  return { server: await listen(app, '127.0.0.1', 0), deps };
}

const row = (name: string, r: LoadResult, floor: LoadResult) =>
  [
    name.padEnd(34),
    String(r.requestsPerSecond).padStart(8),
    (r.requestsPerSecond / floor.requestsPerSecond).toFixed(2).padStart(8),
    r.p50Ms.toFixed(1).padStart(7),
    r.p99Ms.toFixed(1).padStart(7),
    String(r.non2xx + r.errors).padStart(7),
  ].join(' ');

const node = await bareNode();
const bare = await bareExpress();
const gavel = await gavelApi();
const url = (server: http.Server, path: string) => `http://127.0.0.1:${portOf(server)}${path}`;

const options = { connections, seconds };
const nodeResult = await load(url(node, '/healthz'), options);
const bareResult = await load(url(bare, '/healthz'), options);
const healthResult = await load(url(gavel.server, '/healthz'), options);
const readyResult = await load(url(gavel.server, '/readyz'), options);

process.stdout.write(
  [
    `http bench: ${connections} connections, ${seconds} s each, Node ${process.version}`,
    `${'target'.padEnd(34)} ${'req/s'.padStart(8)} ${'×floor'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'bad'.padStart(7)}`,
    row('node:http, fixed JSON', nodeResult, bareResult),
    row('express, fixed JSON (floor)', bareResult, bareResult),
    row('gavel GET /healthz', healthResult, bareResult),
    row('gavel GET /readyz (3 pings)', readyResult, bareResult),
    `RSS after the runs (one process, all servers): ${rssMiB()} MiB`,
    '',
  ].join('\n'),
);

await gavel.deps.close();
for (const server of [node, bare, gavel.server]) {
  server.closeAllConnections();
  server.close();
}
