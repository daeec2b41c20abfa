/**
 * In a Redis Cluster a script may only touch keys of one slot, and a sharded publish goes to the
 * channel's slot: every key of an auction or a sale, and its events channel, must hash to its id's slot.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import fc from 'fast-check';
import { closeRedis, createRedis } from '../config/redis.js';
import { auctionKeys } from '../lua/bidding-store.js';
import { saleKeys } from '../lua/sale-store.js';
import { testConfig } from './helpers/config.js';

// The CRC16 slot function ioredis's Cluster routes commands with (an ioredis dependency, untyped).
const keySlot = createRequire(import.meta.url)('cluster-key-slot') as (key: string) => number;

/** Every name an auction's scripts and events use, an idempotency key for this bidder included. */
function namesOf(auctionId: string, bidderId: string, idempotencyKey: string): string[] {
  const keys = auctionKeys(auctionId);
  return [keys.state, keys.bids, keys.wake, keys.idempotency(bidderId, idempotencyKey), keys.events];
}

test('every key and the channel of an auction map to one slot, whatever the bidder and key', () => {
  fc.assert(
    fc.property(
      fc.uuid(),
      fc.string({ minLength: 1 }), // braces included: only the first {...} of a key is its hash tag
      fc.stringMatching(/^[A-Za-z0-9_-]{1,128}$/),
      (auctionId, bidderId, idempotencyKey) => {
        const slots = new Set(namesOf(auctionId, bidderId, idempotencyKey).map(keySlot));
        assert.equal(slots.size, 1);
        assert.deepEqual([...slots], [keySlot(auctionId)], 'the slot is the auction id’s own');
      },
    ),
  );
});

/** Every name a sale's scripts and events use; `none` stands for an absent optional key in a claim. */
function saleNamesOf(saleId: string, userId: string, idempotencyKey: string, mark: string): string[] {
  const keys = saleKeys(saleId);
  return [
    ...[keys.state, keys.units, keys.holds, keys.hold, keys.log, keys.wake, keys.waitlist, keys.waiting, keys.none],
    ...[keys.idempotency(userId, idempotencyKey), keys.solution(mark), keys.events],
  ];
}

test('every key and the channel of a sale map to the sale id’s slot, whatever the buyer, key and solution', () => {
  fc.assert(
    fc.property(
      fc.uuid(),
      fc.string({ minLength: 1 }),
      fc.stringMatching(/^[A-Za-z0-9_-]{1,128}$/),
      fc.stringMatching(/^[0-9a-f]{32}$/),
      (saleId, userId, idempotencyKey, mark) => {
        const slots = new Set(saleNamesOf(saleId, userId, idempotencyKey, mark).map(keySlot));
        assert.deepEqual([...slots], [keySlot(saleId)]);
      },
    ),
  );
});

test('auctions spread over the slots: the tag is the id, not a constant', () => {
  const slots = new Set(Array.from({ length: 50 }, () => keySlot(auctionKeys(randomUUID()).state)));
  assert.ok(slots.size > 40, `50 auctions in ${slots.size} slots`);
});

const config = testConfig();
test(
  'the Cluster itself puts them in that slot (CLUSTER KEYSLOT)',
  { skip: config.REDIS_CLUSTER_NODES === undefined && 'needs the Redis Cluster: npm run test:cluster' },
  async () => {
    const redis = createRedis(config, 'worker');
    try {
      const auctionId = '3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f';
      const names = namesOf(auctionId, 'bidder-{x}', 'key-1');
      const slots = await Promise.all(names.map(async (name) => Number(await redis.cluster('KEYSLOT', name))));
      assert.deepEqual(slots, names.map(keySlot));
      assert.equal(new Set(slots).size, 1);
      const saleNames = saleNamesOf(auctionId, 'buyer-{x}', 'key-1', 'ab'.repeat(16));
      const saleSlots = await Promise.all(saleNames.map(async (name) => Number(await redis.cluster('KEYSLOT', name))));
      assert.deepEqual(saleSlots, saleNames.map(keySlot));
    } finally {
      await closeRedis(redis);
    }
  },
);
