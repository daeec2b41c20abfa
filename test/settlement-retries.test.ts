/**
 * The settlement's activities run again after they committed, as Temporal retries one whose worker
 * died before it reported (or whose notice failed after the commit): each must answer as the first run
 * did and write nothing more, or the settlement stalls or doubles an order, a strike or an offer.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { NotificationPipeline } from '../activities/notifications/pipeline.js';
import { createSettlementActivities } from '../activities/settlement/index.js';
import { createRedis, type RedisClient } from '../config/redis.js';
import { auctions, bids, notifications } from '../db/schema.js';
import { orders, secondChanceOffers, unpaidStrikes } from '../db/settlement-schema.js';
import { testConfig } from './helpers/config.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { insertAuction, insertUser } from './helpers/fixtures.js';

let database: TestDatabase;
let redis: RedisClient;
let activities: ReturnType<typeof createSettlementActivities>;
before(async () => {
  database = await createTestDatabase();
  redis = createRedis(testConfig(), 'worker');
  activities = createSettlementActivities({
    db: database.db,
    redis,
    pipeline: new NotificationPipeline(database.db, redis),
    options: {
      sellerFeeBps: 1000,
      offerWindowSeconds: 3600,
      sellerDecisionSeconds: 3600,
      strikes: { toBlock: 2, windowDays: 90 },
    },
  });
});
after(async () => {
  redis.disconnect();
  await database.drop();
});

/** A closed sale: ann's maximum 5,000 won at 3,100 over ben's 3,000; cat bid 2,000. */
async function closedSale() {
  const db = database.db;
  const [seller, ann, ben, cat] = await Promise.all(['seller', 'ann', 'ben', 'cat'].map((n) => insertUser(db, n)));
  const auction = await insertAuction(db, seller!.id, new Date(Date.now() - 60_000), new Date(Date.now() - 1000));
  await db
    .update(auctions)
    .set({ status: 'closed', outcome: 'sold', winnerId: ann!.id, finalPrice: 3100, paymentWindowSeconds: 3600 })
    .where(eq(auctions.id, auction.id));
  const placedAt = new Date();
  await db.insert(bids).values(
    (
      [
        [cat!, 2000],
        [ben!, 3000],
        [ann!, 5000],
      ] as const
    ).map(([user, max], i) => ({
      auctionId: auction.id,
      seq: i + 1,
      bidderId: user.id,
      amount: max,
      maxAmount: max,
      kind: 'bid' as const,
      placedAt,
    })),
  );
  return { auctionId: auction.id, ann: ann!, ben: ben! };
}

const noticesOf = async (userId: string) =>
  (await database.db.select().from(notifications).where(eq(notifications.userId, userId))).map((n) => n.type).sort();

test('each step of a settlement, run twice, answers the same and writes once', async () => {
  const { auctionId, ann, ben } = await closedSale();
  const sale = { auctionId, buyerId: ann.id, hammerPrice: 3100 };

  const opened = await activities.openAuctionOrder(sale);
  assert.deepEqual(await activities.openAuctionOrder(sale), opened, 'the same order');
  const orderId = opened.order.id;

  assert.equal(await activities.expireOrder({ orderId }), 'expired');
  assert.equal(await activities.expireOrder({ orderId }), 'expired');
  assert.equal((await database.db.select().from(unpaidStrikes).where(eq(unpaidStrikes.orderId, orderId))).length, 1);

  const offerWindowSeconds = 3600;
  const offer = await activities.makeSecondChanceOffer({ auctionId, offerWindowSeconds });
  assert.ok(offer, 'ben is next');
  assert.deepEqual(await activities.makeSecondChanceOffer({ auctionId, offerWindowSeconds }), offer, 'the same offer');
  const offers = await database.db.select().from(secondChanceOffers).where(eq(secondChanceOffers.auctionId, auctionId));
  assert.deepEqual(
    offers.map((o) => o.bidderId),
    [ben.id],
  );

  const accepted = await activities.answerOffer({ offerId: offer.id, accept: true });
  assert.deepEqual(await activities.answerOffer({ offerId: offer.id, accept: true }), accepted);
  assert.equal(accepted.order?.buyerId, ben.id);
  const rows = await database.db.select().from(orders).where(eq(orders.auctionId, auctionId));
  assert.deepEqual(rows.map((o) => o.kind).sort(), ['auction', 'second_chance']);

  assert.deepEqual(await noticesOf(ann.id), ['order_unpaid']);
  assert.deepEqual(await noticesOf(ben.id), ['payment_due', 'second_chance_offer']);
});
