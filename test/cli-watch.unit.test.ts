/**
 * What `gavel watch` makes of an auction's events (cli/live-auction.ts) and how it reads the stream
 * (cli/api/event-stream.ts), without a server: the snapshot, bids (live and replayed), extensions, the
 * close; the leader by alias when the API gives one; the line people see.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseEvents } from '../cli/api/event-stream.js';
import { applyEvent, finalLine, isOver, liveLine, type LiveAuction } from '../cli/live-auction.js';

const NOW = Date.parse('2030-01-01T12:00:00Z');
const inSeconds = (s: number) => new Date(NOW + s * 1000).toISOString();

const snapshot = {
  id: 'a1',
  sellerId: 's1',
  title: 'Gibson Les Paul, 1959',
  description: '',
  category: null,
  currency: 'USD',
  startingPrice: 1000,
  currentPrice: 1000,
  minimumNextBid: 1000,
  leaderId: null,
  bidCount: 0,
  reserveMet: false,
  buyNowPrice: null,
  status: 'open',
  result: null,
  startsAt: inSeconds(-60),
  endsAt: inSeconds(125),
  createdAt: inSeconds(-60),
  seq: 0,
  paymentWindowSeconds: 3600,
  buyersPremiumBps: 0,
  autoSecondChance: false,
} as const;

const bid = (seq: number, price: number, extra: Record<string, unknown> = {}) => ({
  seq,
  currentPrice: price,
  leaderId: 'u2',
  minimumNextBid: price + 50,
  bidCount: seq,
  reserveMet: true,
  endsAt: inSeconds(125),
  placedAt: inSeconds(0),
  ...extra,
});

function follow(events: [string, unknown][]): LiveAuction | null {
  return events.reduce<LiveAuction | null>((state, [event, data]) => applyEvent(state, event, data), null);
}

describe('the live line', () => {
  test('when the snapshot comes, then the line shows title, price, nobody leading, no bids and the countdown', () => {
    const state = follow([['snapshot', snapshot]])!;
    assert.equal(liveLine(state, NOW), 'Gibson Les Paul, 1959 · $10.00 · leader nobody yet · 0 bids · ends in 2m 05s');
  });

  test('when bids and an extension come, then price, leader, bids, reserve, end and extensions follow them', () => {
    const state = follow([
      ['snapshot', snapshot],
      ['bid', bid(1, 1000)],
      ['bid', bid(2, 2600, { leaderId: 'u3', endsAt: inSeconds(300) })],
      ['extended', { seq: 2, endsAt: inSeconds(300) }],
    ])!;
    assert.equal(
      liveLine(state, NOW),
      'Gibson Les Paul, 1959 · $26.00 · leader u3 · 2 bids · reserve met · ends in 5m 00s · extended 1×',
    );
  });

  test('when the API names the leader by alias only (anonymous viewers), then the alias is shown, not the empty id', () => {
    const state = follow([
      ['snapshot', { ...snapshot, leaderId: null, leaderAlias: 'Bidder 7', bidCount: 1 }],
      ['bid', bid(2, 1500, { leaderId: null, leaderAlias: 'Bidder 3' })],
    ])!;
    assert.match(liveLine(state, NOW), / · leader Bidder 3 · /);
  });

  test('when a retraction or a promotion moves the lead, then price, leader and bids follow; replayed, price and bids', () => {
    const standing = (price: number, leaderAlias: string | null, bidCount: number) => ({
      currentPrice: price,
      leaderId: null,
      leaderAlias,
      minimumNextBid: price + 50,
      bidCount,
      reserveMet: false,
      endsAt: inSeconds(125),
    });
    const state = follow([
      ['snapshot', { ...snapshot, leaderId: null, leaderAlias: 'Bidder 2', bidCount: 2, currentPrice: 2000 }],
      [
        'retracted',
        { seq: 3, retractedAlias: 'Bidder 2', retractedAt: inSeconds(0), ...standing(1000, 'Bidder 1', 1) },
      ],
      ['bid', bid(4, 1500, { leaderId: null, leaderAlias: 'Bidder 3' })],
      ['doubled', { seq: 5, doubledAlias: 'Bidder 1', doubledAt: inSeconds(0), ...standing(1600, 'Bidder 1', 4) }],
    ])!;
    assert.match(liveLine(state, NOW), /\$16\.00 · leader Bidder 1 · 4 bids · reserve not met/);
    const replayed = applyEvent(state, 'doubled', {
      seq: 6,
      doubledAlias: 'Bidder 3',
      currentPrice: 1700,
      minimumNextBid: 1750,
      bidCount: 4,
      doubledAt: inSeconds(0),
      replayed: true,
    })!;
    assert.match(liveLine(replayed, NOW), /\$17\.00 · leader Bidder 1 · 4 bids/);
  });

  test('when bids are replayed before the snapshot (a resumed stream), then only the snapshot counts; replayed ones after it keep the leader', () => {
    assert.equal(follow([['bid', { ...bid(1, 1000), replayed: true }]]), null);
    const state = follow([
      ['snapshot', { ...snapshot, leaderId: 'u2', bidCount: 1 }],
      [
        'bid',
        { seq: 2, currentPrice: 1100, minimumNextBid: 1150, bidCount: 2, placedAt: inSeconds(0), replayed: true },
      ],
    ])!;
    assert.match(liveLine(state, NOW), /\$11\.00 · leader u2 · 2 bids/);
  });

  test('when the end has passed but the close has not come yet, then "closing…"; a scheduled one counts down to its start', () => {
    assert.match(liveLine(follow([['snapshot', { ...snapshot, endsAt: inSeconds(-1) }]])!, NOW), / · closing…$/);
    const scheduled = follow([['snapshot', { ...snapshot, status: 'scheduled', startsAt: inSeconds(3700) }]])!;
    assert.match(liveLine(scheduled, NOW), / · opens in 1h 1m$/);
  });

  test('when it closes or is cancelled, then it is over, with the result in words', () => {
    const sold = follow([
      ['snapshot', snapshot],
      ['bid', bid(1, 1000)],
      ['closed', { outcome: 'sold', winnerId: 'u2', finalPrice: 1000, orderId: 'o1' }],
    ])!;
    assert.ok(isOver(sold));
    assert.equal(finalLine(sold), 'Gibson Les Paul, 1959: sold to u2 for $10.00.');
    const unsold = follow([
      ['snapshot', snapshot],
      ['closed', { outcome: 'unsold', winnerId: null, finalPrice: null, orderId: null }],
    ])!;
    assert.equal(finalLine(unsold), 'Gibson Les Paul, 1959: closed unsold (no bids).');
    const reserve = follow([
      ['snapshot', snapshot],
      ['closed', { outcome: 'reserve_not_met', winnerId: null, finalPrice: null, orderId: null }],
    ])!;
    assert.equal(finalLine(reserve), 'Gibson Les Paul, 1959: closed: the reserve was not met.');
    const cancelled = follow([
      ['snapshot', snapshot],
      ['cancelled', {}],
    ])!;
    assert.ok(isOver(cancelled));
    assert.equal(finalLine(cancelled), 'Gibson Les Paul, 1959: cancelled by the seller.');
    assert.equal(isOver(follow([['snapshot', snapshot]])), false);
  });

  test('when a title holds control characters, then they cannot drive the terminal', () => {
    const state = follow([['snapshot', { ...snapshot, title: 'Evil\u001b[2J\u0007 lot' }]])!;
    // eslint-disable-next-line no-control-regex -- control characters are what must not be there
    assert.doesNotMatch(liveLine(state, NOW), /[\u0000-\u001f]/);
  });
});

describe('reading an event stream', () => {
  const streamOf = (...chunks: string[]) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    });

  const read = async (...chunks: string[]) => {
    const events = [];
    for await (const event of parseEvents(streamOf(...chunks))) events.push(event);
    return events;
  };

  test('when events come split anywhere across chunks, with comments and CRLFs, then each is read whole, with its id', async () => {
    assert.deepEqual(
      await read(
        ': ping\n\nevent: snap',
        'shot\r\nid: 3\r\ndata: {"a":',
        '1}\r\n\r\nevent: bid\ndata:{"b":2}\nid: 4\n\n',
        'event: x\n',
      ),
      [
        { event: 'snapshot', data: '{"a":1}', id: '3' },
        { event: 'bid', data: '{"b":2}', id: '4' },
      ],
    );
  });

  test('when an event has several data lines or none, then they are joined by newlines, and an empty one is not dispatched', async () => {
    assert.deepEqual(await read('data: one\ndata: two\n\nevent: empty\n\n'), [
      { event: 'message', data: 'one\ntwo', id: null },
    ]);
  });
});
