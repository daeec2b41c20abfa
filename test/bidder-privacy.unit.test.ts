/**
 * Who sees which bidder's account id (domain/bidder-privacy.ts). The routes that apply it, over real
 * HTTP with every anonymous answer and event crawled: test/bidder-privacy.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ANONYMOUS, bidderIdsShownTo, seesEveryBidder, type Viewer } from '../domain/bidder-privacy.js';

const SELLER = 'seller';
const ANN = 'ann';
const BEN = 'ben';
const signedIn = (userId: string, admin = false): Viewer => ({ userId, admin });

describe('bidder privacy', () => {
  test('when nobody is signed in, then no bidder id is shown', () => {
    const shown = bidderIdsShownTo(ANONYMOUS, SELLER);
    assert.deepEqual([ANN, BEN, SELLER, null].map(shown), [null, null, null, null]);
    assert.equal(seesEveryBidder(ANONYMOUS, SELLER), false);
  });

  test("when the auction's seller looks, then every bidder's id is shown", () => {
    const shown = bidderIdsShownTo(signedIn(SELLER), SELLER);
    assert.deepEqual([ANN, BEN, null].map(shown), [ANN, BEN, null]);
    assert.equal(seesEveryBidder(signedIn(SELLER), SELLER), true);
  });

  test('when an admin looks, then every bidder id is shown, on any auction', () => {
    const shown = bidderIdsShownTo(signedIn('ops', true), SELLER);
    assert.deepEqual([ANN, BEN].map(shown), [ANN, BEN]);
    assert.equal(seesEveryBidder(signedIn('ops', true), SELLER), true);
  });

  test('when a bidder looks, then only their own id is shown', () => {
    const shown = bidderIdsShownTo(signedIn(ANN), SELLER);
    assert.deepEqual([ANN, BEN, null].map(shown), [ANN, null, null]);
    assert.equal(seesEveryBidder(signedIn(ANN), SELLER), false);
  });

  test("when a seller looks at someone else's auction, then they are a viewer like any other", () => {
    const shown = bidderIdsShownTo(signedIn(SELLER), 'another-seller');
    assert.deepEqual([ANN, SELLER].map(shown), [null, SELLER]);
  });
});
