/**
 * An auction's live events are formatted once per published message and the same bytes written to
 * every stream; what still depends on the stream (the winner's alias in `closed`) is formatted per
 * alias. A crowd's snapshot reads are shared, but never with a read that began before a stream asked.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { liveFrameOf } from '../api/auctions/live-frames.js';
import { SharedReads } from '../api/auctions/shared-reads.js';
import { parseSseBlock } from './helpers/sse.js';

const bidMessage = (seq: number, extended: boolean) =>
  JSON.stringify({
    type: 'bid',
    seq,
    price: 2000,
    minimumNextBid: 2100,
    bidCount: seq,
    reserveMet: true,
    endsAtMs: Date.UTC(2030, 0, 1),
    placedAtMs: Date.UTC(2029, 0, 1),
    leaderAlias: 3,
    extended,
  });

const eventsOf = (chunk: Buffer) =>
  chunk
    .toString()
    .split('\n\n')
    .filter(Boolean)
    .map((block) => parseSseBlock(block));

test('when streams are handed the same message, then they get the very same bytes, formatted once', () => {
  const message = bidMessage(7, true);
  const first = liveFrameOf(message);
  const again = liveFrameOf(message.slice(0)); // equal content, as another stream of the loop sees it
  assert.equal(again, first);
  assert.equal(first.kind, 'state');
  if (first.kind !== 'state') return;
  assert.equal(first.seq, 7);
  assert.equal(first.leaderAlias, 'Bidder 3');
  const [bid, extended] = eventsOf(first.chunk);
  assert.deepEqual(bid, {
    event: 'bid',
    id: '7',
    data: {
      seq: 7,
      currentPrice: 2000,
      leaderId: null,
      leaderAlias: 'Bidder 3',
      minimumNextBid: 2100,
      bidCount: 7,
      reserveMet: true,
      endsAt: '2030-01-01T00:00:00.000Z',
      placedAt: '2029-01-01T00:00:00.000Z',
    },
  });
  assert.deepEqual(extended, { event: 'extended', id: null, data: { seq: 7, endsAt: '2030-01-01T00:00:00.000Z' } });
});

test('when an auction closes, then each stream names the winner by the alias it last saw, never by account', () => {
  const frame = liveFrameOf(
    JSON.stringify({ type: 'closed', seq: 9, result: { outcome: 'sold', winnerId: 'user-1', finalPrice: 5000 } }),
  );
  assert.equal(frame.kind, 'closed');
  if (frame.kind !== 'closed') return;
  const [seen3] = eventsOf(frame.chunkFor('Bidder 3'));
  const [seen4] = eventsOf(frame.chunkFor('Bidder 4'));
  assert.deepEqual(seen3?.data, {
    outcome: 'sold',
    winnerId: null,
    winnerAlias: 'Bidder 3',
    finalPrice: 5000,
    orderId: null,
  });
  assert.equal((seen4?.data as { winnerAlias: string }).winnerAlias, 'Bidder 4');
  assert.equal(frame.chunkFor('Bidder 3'), frame.chunkFor('Bidder 3'), 'one format per alias');
});

test('when callers ask while a read runs, then they share the next read, not the one under way', async () => {
  const started: ((value: number) => void)[] = [];
  const reads = new SharedReads<number>(() => new Promise((resolve) => started.push(resolve)));
  const first = reads.read('a');
  const second = reads.read('a');
  const third = reads.read('a');
  assert.equal(started.length, 1, 'the later callers wait for the running read to end');
  started[0]!(1);
  assert.equal(await first, 1);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(started.length, 2, 'then one read begins for both of them');
  started[1]!(2);
  assert.deepEqual(await Promise.all([second, third]), [2, 2]);
  const later = reads.read('a');
  assert.equal(started.length, 3, 'once idle, a caller begins a read of its own');
  started[2]!(3);
  assert.equal(await later, 3);
});
