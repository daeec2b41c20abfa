/**
 * The floor of bench/sse-fanout.bench.ts, run as its own process (forked; it sends its port over IPC):
 * the least a Node server can do to hold Server-Sent Events streams and fan an auction's events out.
 * Bare node:http, one Redis subscription to the auction's channel, each bid written once per stream
 * as `event: bid`, `id: <seq>`, `data: <the published JSON>`, and one timer for every stream's heartbeat
 * (the API keeps one per stream). No auth, no database, no replay, no per-stream formatting.
 * Argument: the channel, then the heartbeat interval in ms.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseConfig } from '../config/env.js';
import { createRedis } from '../config/redis.js';
import { onMessage, subscribe } from '../config/redis-pubsub.js';

const [channel = '', heartbeatMs = '15000'] = process.argv.slice(2);
const streams = new Set<http.ServerResponse>();

const server = http.createServer((req, res) => {
  if (req.method !== 'GET' || req.url !== '/events') {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  res.write('event: snapshot\ndata: {}\n\n');
  streams.add(res);
  res.on('close', () => streams.delete(res));
});

const subscriber = createRedis(parseConfig(process.env), 'subscriber');
onMessage(subscriber, (_channel, message) => {
  const event = JSON.parse(message) as { type: string; seq?: number };
  if (event.type !== 'bid') return;
  const chunk = `event: bid\nid: ${event.seq}\ndata: ${message}\n\n`;
  for (const res of streams) res.write(chunk);
});
await subscribe(subscriber, channel);
setInterval(() => {
  for (const res of streams) res.write(': ping\n\n');
}, Number(heartbeatMs));

server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
process.on('disconnect', () => process.exit(0));
