/**
 * A watcher that stops reading must not grow the server's memory: once its unsent bytes pass the
 * bound, its stream is cut (it reconnects with Last-Event-ID and loses nothing).
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import express from 'express';
import { listen, portOf } from '../api/server.js';
import { MAX_UNSENT_BYTES, SseStream } from '../api/sse/stream.js';

test('when a client stops reading, then its stream is cut once the unsent bytes pass the bound', async () => {
  let stream: SseStream | undefined;
  let largestBacklog = 0;
  const payload = { pad: 'x'.repeat(1024) };
  const app = express();
  app.get('/events', (_req, res) => {
    stream = new SseStream(res);
    // Far more than the kernel's socket buffers hold, so the backlog lands in this process.
    for (let i = 0; i < 50_000 && stream.isOpen; i++) {
      stream.send('bid', payload, i);
      largestBacklog = Math.max(largestBacklog, res.writableLength);
    }
  });
  const server = await listen(app, '127.0.0.1', 0);
  const socket = net.connect(portOf(server), '127.0.0.1');
  socket.pause(); // never read a byte
  socket.write('GET /events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n');
  const deadline = Date.now() + 5000;
  while ((stream === undefined || stream.isOpen) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.ok(stream, 'the request reached the route');
  assert.equal(stream.isOpen, false, 'the stream was cut');
  assert.ok(largestBacklog <= MAX_UNSENT_BYTES + 2048, `backlog stayed bounded (${largestBacklog} bytes)`);
  socket.destroy();
  server.closeAllConnections();
  server.close();
});

test('when a client reads, then every event arrives and the stream stays open', async () => {
  const app = express();
  let stream: SseStream | undefined;
  app.get('/events', (_req, res) => {
    stream = new SseStream(res);
    for (let i = 1; i <= 100; i++) stream.send('bid', { seq: i }, i);
    stream.close(1000);
  });
  const server = await listen(app, '127.0.0.1', 0);
  const text = await (await fetch(`http://127.0.0.1:${portOf(server)}/events`)).text();
  assert.equal(text.match(/^event: bid$/gm)?.length, 100);
  assert.match(text, /^id: 100$/m);
  assert.match(text, /^retry: 1000$/m, 'the close tells the client when to come back');
  server.close();
});
