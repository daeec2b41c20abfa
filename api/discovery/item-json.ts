/**
 * The JSON of the auctions listed lately, kept between requests: a front page lists the same few dozen
 * auctions thousands of times a second, and rendering them (twenty objects, sixty timestamps, fifteen
 * kilobytes of JSON) was most of a listing's cost. An entry is good while its record has not changed
 * (its revision) and its shown status has not moved with the clock. Bounded (least recently listed
 * first out), so its memory stays a small fixed amount whatever the catalogue.
 */
import type { ListingRecord } from './listing-record.js';
import { presentRecord, shownStatus } from './presenter.js';

interface Entry {
  revision: number;
  status: string;
  json: string;
}

export class ItemJsonCache {
  private readonly entries = new Map<ListingRecord, Entry>();

  constructor(private readonly capacity: number) {}

  jsonOf(record: ListingRecord, nowMs: number): string {
    const status = shownStatus(record, nowMs);
    let entry = this.entries.get(record);
    if (entry) this.entries.delete(record); // re-inserted below: most recently listed last
    if (!entry || entry.revision !== record.revision || entry.status !== status) {
      entry = { revision: record.revision, status, json: JSON.stringify(presentRecord(record, nowMs)) };
    }
    this.entries.set(record, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return entry.json;
  }
}
