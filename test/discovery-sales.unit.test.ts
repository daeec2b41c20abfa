/**
 * Flash sales in the listing read model, without a stack: a sale row becomes an item of kind 'sale',
 * the kind filter reads its own indexes, a sale without an end sorts last when ending soonest, claim
 * notes apply in their version order, the item shows sold out from its counts, and a sale without an
 * end goes from the model some time after it settled, and one with an end goes by its end, whatever its phase.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { readPage } from '../api/discovery/listing-query.js';
import { addItem } from '../api/discovery/model-updates.js';
import { presentRecord } from '../api/discovery/presenter.js';
import { ListingReadModel } from '../api/discovery/read-model.js';
import type { SaleListingRow } from '../api/discovery/sale-source.js';
import { applySaleRow, saleItemOf } from '../api/discovery/sale-updates.js';

const NOW = Date.UTC(2026, 0, 1);

const saleRow = (overrides: Partial<SaleListingRow> = {}): SaleListingRow => ({
  id: randomUUID(),
  phase: 'open',
  available: 5,
  sellerId: randomUUID(),
  category: 'fashion',
  title: 'Sneakers',
  description: '',
  currency: 'USD',
  price: 1000,
  stock: 5,
  holdSeconds: 600,
  startsAt: new Date(NOW - 60_000),
  endsAt: new Date(NOW + 600_000),
  createdAt: new Date(NOW - 120_000),
  updatedAt: new Date(NOW - 60_000),
  ...overrides,
});

const page = (model: ListingReadModel, kind: 'auction' | 'sale' | undefined, sort: 'ending_soonest' | 'price_asc') =>
  readPage(model, { sort, filter: { kind }, limit: 50, asOf: model.version, atMs: NOW }).items.map((i) => i.id);

describe('sales in the listing read model', () => {
  test('when sales are listed by ending soonest, then the one without an end comes last', () => {
    const model = new ListingReadModel();
    const endless = saleRow({ endsAt: null });
    const soon = saleRow({ endsAt: new Date(NOW + 60_000) });
    const later = saleRow({ endsAt: new Date(NOW + 120_000) });
    for (const row of [endless, later, soon]) addItem(model, saleItemOf(row), 0);
    assert.deepEqual(page(model, 'sale', 'ending_soonest'), [soon.id, later.id, endless.id]);
    assert.deepEqual(page(model, 'auction', 'ending_soonest'), []);
    assert.deepEqual(page(model, undefined, 'price_asc').length, 3);
  });

  test('when count notes arrive out of order, then only a newer version changes the count', () => {
    const model = new ListingReadModel();
    const record = addItem(model, saleItemOf(saleRow()), 0);
    assert.equal(model.applySaleCounts(record, 3, 2), true);
    assert.equal(model.applySaleCounts(record, 4, 1), false);
    assert.equal(record.available, 3);
    // A row's copy (a correction) is the last word until the next note.
    assert.equal(model.applySaleCounts(record, 5, null), true);
    assert.equal(model.applySaleCounts(record, 2, 3), true);
    assert.equal(record.available, 2);
  });

  test('when a sale has nothing available, then its item shows it sold out, and its end as null when it has none', () => {
    const model = new ListingReadModel();
    const record = addItem(model, saleItemOf(saleRow({ available: 0, endsAt: null })), 0);
    const item = presentRecord(record, NOW);
    assert.equal(item.kind, 'sale');
    assert.equal(item.status, 'sold_out');
    assert.equal(item.endsAt, null);
  });

  test('when a sale without an end sells out or is cancelled, then it goes once settled before the bound, not before', () => {
    const model = new ListingReadModel();
    const long = NOW - 40 * 86_400_000;
    const settledLongAgo = saleRow({ endsAt: null, available: 0, updatedAt: new Date(long) });
    const cancelledLongAgo = saleRow({ endsAt: null, phase: 'cancelled', updatedAt: new Date(long) });
    const selling = saleRow({ endsAt: null, available: 3, updatedAt: new Date(long) });
    const ending = saleRow({ available: 0, updatedAt: new Date(long) }); // has an end: goes by it
    for (const row of [settledLongAgo, cancelledLongAgo, selling, ending]) applySaleRow(model, row, 0);
    const bound = NOW - 30 * 86_400_000;
    assert.equal(model.evictSettledSalesBefore(bound), 2);
    assert.deepEqual(
      [settledLongAgo, cancelledLongAgo, selling, ending].map((row) => model.get(row.id) !== undefined),
      [false, false, true, true],
    );

    // Settling now (the last units claimed), it stays until the bound passes that moment.
    const sellingRecord = model.get(selling.id)!;
    model.applySaleCounts(sellingRecord, 0, 7);
    assert.equal(model.evictSettledSalesBefore(Date.now() - 1000), 0);
    // Units back (a hold expired): not settled any more, whatever the bound.
    model.applySaleCounts(sellingRecord, 1, 8);
    assert.equal(model.evictSettledSalesBefore(Date.now() + 1000), 0);
    model.applySaleCounts(sellingRecord, 0, 9);
    assert.equal(model.evictSettledSalesBefore(Date.now() + 1000), 1);
    assert.equal(model.get(selling.id), undefined);
  });

  test('when a sale with an end ended before the bound, then it goes whatever its phase (sold out is never closed)', () => {
    const model = new ListingReadModel();
    const longAgo = new Date(NOW - 40 * 86_400_000);
    const soldOutLongAgo = saleRow({ available: 0, endsAt: longAgo });
    const closedLongAgo = saleRow({ phase: 'closed', endsAt: longAgo });
    const soldOutRecently = saleRow({ available: 0, endsAt: new Date(NOW - 86_400_000) });
    const endless = saleRow({ endsAt: null });
    const rows = [soldOutLongAgo, closedLongAgo, soldOutRecently, endless];
    for (const row of rows) applySaleRow(model, row, 0);
    assert.equal(model.evictEndedBefore(NOW - 30 * 86_400_000), 2);
    assert.deepEqual(
      rows.map((row) => model.get(row.id) !== undefined),
      [false, false, true, true],
    );
  });
});
