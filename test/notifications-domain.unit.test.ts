/** The notification rules that need no server: who was outbid, when "ending soon" is due, what mail says, link tokens. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { emailContent } from '../domain/notifications/email-content.js';
import { dueEndingSoon, ENDING_SOON_MINUTES, nextEndingSoonAtMs } from '../domain/notifications/ending-soon.js';
import { moneyText } from '../domain/people-format.js';
import { outbidsIn } from '../domain/notifications/outbid.js';
import {
  InvalidUnsubscribeToken,
  signUnsubscribeToken,
  verifyUnsubscribeToken,
} from '../domain/notifications/unsubscribe-token.js';

const bid = (seq: number, leaderId: string, amount = seq * 100) => ({ seq, leaderId, amount });

test('when the lead changes hands, then each leader who lost it is outbid once, by the bid that took it', () => {
  const outbids = outbidsIn('ann', [bid(5, 'ann'), bid(6, 'ben'), bid(7, 'ben'), bid(8, 'ann'), bid(9, 'cat')]);
  assert.deepEqual(outbids, [
    { userId: 'ann', seq: 6, price: 600 },
    { userId: 'ben', seq: 8, price: 800 },
    { userId: 'ann', seq: 9, price: 900 },
  ]);
});

test('when nobody led before, then the first leader outbids nobody', () => {
  assert.deepEqual(outbidsIn(null, [bid(1, 'ann')]), []);
});

test('when bids are split into batches anywhere, then the outbids are the same as in one pass', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 40 }), fc.nat(40), (leaders, cut) => {
      const bids = leaders.map((leader, i) => bid(i + 1, leader));
      const at = Math.min(cut, bids.length);
      const first = bids.slice(0, at);
      const split = [
        ...outbidsIn(null, first),
        ...outbidsIn(first.length ? first[first.length - 1]!.leaderId : null, bids.slice(at)),
      ];
      assert.deepEqual(split, outbidsIn(null, bids));
      // Exactly one per change of leader.
      assert.equal(split.length, leaders.filter((l, i) => i > 0 && l !== leaders[i - 1]).length);
    }),
  );
});

const MIN = 60_000;

test('when an auction opens with less time left than some lead times, then those are due at once, the rest later', () => {
  const now = 0;
  const endsAt = 10 * MIN;
  assert.deepEqual(dueEndingSoon(endsAt, now, []), [15, 60, 180, 1440]);
  assert.equal(nextEndingSoonAtMs(endsAt, [15, 60, 180, 1440]), endsAt - 5 * MIN);
  assert.deepEqual(dueEndingSoon(endsAt, endsAt - 5 * MIN, [15, 60, 180, 1440]), [5]);
  assert.equal(nextEndingSoonAtMs(endsAt, [...ENDING_SOON_MINUTES]), null);
});

test('when a lead time was said, then a later end (soft close) never makes it due again', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 3 * 1440 * MIN }), fc.integer({ min: 0, max: 1440 * MIN }), (endsAt, now) => {
      const said = dueEndingSoon(endsAt, now, []);
      const extended = endsAt + 2 * MIN;
      for (const m of dueEndingSoon(extended, now, said)) assert.ok(!said.includes(m));
    }),
  );
});

test('when money is shown, then it is exact in the currency’s own minor units', () => {
  assert.equal(moneyText(2050, 'USD'), '$20.50');
  assert.equal(moneyText(999_999_999_999_999, 'USD'), '$9,999,999,999,999.99');
  assert.equal(moneyText(500, 'JPY'), '¥500');
  assert.equal(moneyText(5, 'EUR'), '€0.05');
});

test('when an outbid mail is written, then it has the price, the link, the unsubscribe link and escaped HTML', () => {
  const content = emailContent(
    {
      id: 1,
      type: 'outbid',
      auctionId: 'a1',
      data: {
        title: '<script>',
        currency: 'USD',
        currentPrice: 2050,
        minimumNextBid: 2100,
        endsAt: '2030-01-01T00:00:00.000Z',
      },
      createdAt: '2030-01-01T00:00:00.000Z',
      readAt: null,
    },
    { auction: 'https://gavel.test/a1', unsubscribe: 'https://gavel.test/u?token=t' },
  );
  assert.match(content.subject, /outbid/);
  assert.match(content.text, /\$20\.50/);
  assert.match(content.text, /\$21\.00/);
  assert.match(content.text, /https:\/\/gavel\.test\/u\?token=t/);
  assert.ok(!content.html.includes('<script>'));
  assert.match(content.html, /&lt;script&gt;/);
});

test('when an unsubscribe token is verified, then only one signed with the secret, for its purpose, passes', async () => {
  const secret = 'a-secret-that-is-long-enough-for-hs256!';
  const token = await signUnsubscribeToken(secret, { userId: 'u1', type: 'outbid' });
  assert.deepEqual(await verifyUnsubscribeToken(secret, token), { userId: 'u1', type: 'outbid' });
  await assert.rejects(verifyUnsubscribeToken(`${secret}x`, token), InvalidUnsubscribeToken);
  const [h, , s] = token.split('.');
  const forged = Buffer.from(JSON.stringify({ pur: 'unsubscribe', nt: 'outbid', sub: 'u2' })).toString('base64url');
  await assert.rejects(verifyUnsubscribeToken(secret, `${h}.${forged}.${s}`), InvalidUnsubscribeToken);
  await assert.rejects(verifyUnsubscribeToken(secret, 'garbage'), InvalidUnsubscribeToken);
});

test("when a waitlist offer mail is written, then it has the units, the total, the hold's end and the order's link", () => {
  const content = emailContent(
    {
      id: 2,
      type: 'waitlist_offer',
      auctionId: null,
      data: {
        title: 'Limited sneakers',
        saleId: 's1',
        orderId: 'o1',
        quantity: 2,
        currency: 'EUR',
        total: 5000,
        payBy: '2030-01-01T00:10:00.000Z',
        role: 'buyer',
      },
      createdAt: '2030-01-01T00:00:00.000Z',
      readAt: null,
    },
    { auction: null, order: 'https://gavel.test/v1/orders/o1', unsubscribe: 'https://gavel.test/u?token=t' },
  );
  assert.match(content.subject, /2 held for you/);
  assert.match(content.text, /€50\.00/);
  assert.match(content.text, /2030-01-01T00:10:00\.000Z/);
  assert.match(content.text, /View the order: https:\/\/gavel\.test\/v1\/orders\/o1/);
  assert.match(content.html, /href="https:\/\/gavel\.test\/v1\/orders\/o1"/);
  assert.match(content.text, /waitlist offers by email/);
});
