/**
 * When a lot may be relisted (domain/relist.ts): every way an auction can end, and every state its sale
 * can be in. The API and the settlement around it are tested on the real stack in
 * test/auction-relist.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AUCTION_STATUSES } from '../domain/auction-status.js';
import {
  needsSaleAftermath,
  relistRefusal,
  relistRefusalInPhase,
  type RelistedAuction,
  type SaleAftermath,
} from '../domain/relist.js';
import type { SettlementPhase } from '../domain/settlement/workflow.js';

const closed = (outcome: RelistedAuction['outcome'], orderId: string | null = null): RelistedAuction => ({
  status: 'closed',
  outcome,
  orderId,
});
const sold = closed('sold', 'order-1');
const sale = (orders: SaleAftermath['orders'], offers: SaleAftermath['offers'] = []): SaleAftermath => ({
  orders,
  offers,
});

describe('relisting an auction that did not sell', () => {
  test('when it closed unsold or with its reserve not met, then it may be relisted, without a look at any sale', () => {
    for (const outcome of ['unsold', 'reserve_not_met'] as const) {
      assert.equal(needsSaleAftermath(closed(outcome)), false);
      assert.equal(relistRefusal(closed(outcome), null), null);
    }
  });

  test('when it is scheduled or open, then it has not ended; when cancelled, it is refused as cancelled', () => {
    for (const status of AUCTION_STATUSES.filter((s) => s !== 'closed' && s !== 'cancelled')) {
      const auction: RelistedAuction = { status, outcome: null, orderId: null };
      assert.equal(needsSaleAftermath(auction), false);
      assert.equal(relistRefusal(auction, null), 'not_ended');
    }
    assert.equal(relistRefusal({ status: 'cancelled', outcome: null, orderId: null }, null), 'cancelled');
  });
});

describe('relisting a lot that sold', () => {
  test('when its orders all came to nothing and no offer is open, then it may be relisted', () => {
    assert.equal(needsSaleAftermath(sold), true);
    assert.equal(relistRefusal(sold, sale(['expired'])), null);
    assert.equal(relistRefusal(sold, sale(['expired', 'expired'], ['accepted', 'declined'])), null);
    assert.equal(relistRefusal(sold, sale(['cancelled'], ['expired'])), null);
    // The payment was given back: the lot is the seller's again.
    assert.equal(relistRefusal(sold, sale(['refunded'])), null);
  });

  test('when an order is paid, then never, whatever else there is', () => {
    assert.equal(relistRefusal(sold, sale(['paid'])), 'paid');
    assert.equal(relistRefusal(sold, sale(['expired', 'paid'], ['accepted'])), 'paid');
  });

  test('when an order awaits payment or an offer is open, then not while it is live', () => {
    assert.equal(relistRefusal(sold, sale(['awaiting_payment'])), 'order_live');
    assert.equal(relistRefusal(sold, sale(['expired', 'awaiting_payment'], ['accepted'])), 'order_live');
    assert.equal(relistRefusal(sold, sale(['expired'], ['declined', 'open'])), 'offer_live');
  });

  test('when it sold before orders existed, then it is refused: whether it was paid is not known', () => {
    assert.equal(relistRefusal(closed('sold', null), null), 'sold_before_settlement');
  });

  test('when its sale is not given, then that is a bug of the caller, not a yes', () => {
    assert.throws(() => relistRefusal(sold, null), /needs its orders and offers/);
  });
});

describe('a running settlement that refused to end for a relist', () => {
  test('when it refused, then the phase it is in says why; once closed it is no longer in the way', () => {
    const expected: Record<SettlementPhase, ReturnType<typeof relistRefusalInPhase>> = {
      awaiting_payment: 'order_live',
      offer_open: 'offer_live',
      awaiting_seller: 'settlement_busy',
      paid: 'paid',
      closed: null,
    };
    for (const [phase, refusal] of Object.entries(expected)) {
      assert.equal(relistRefusalInPhase(phase as SettlementPhase), refusal, phase);
    }
  });
});
