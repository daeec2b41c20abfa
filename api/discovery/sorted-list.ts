/**
 * A sorted list kept as a list of sorted chunks (the layout of Python's sortedcontainers): insert and
 * delete cost a binary search and a splice within one chunk of at most MAX_CHUNK items, and reading
 * in order from any position is a walk over arrays. A listing index moves an auction on every bid, so
 * a flat sorted array (a splice over everything) or a re-sort per read would not do.
 *
 * Items must be totally ordered by `compare` (ties broken by a unique id), and an item's sort key must
 * not change while it is in the list: delete it, change it, insert it again.
 */
export type Compare<T> = (a: T, b: T) => number;

/** Where an item stands relative to a bound: < 0 before it, 0 at it, > 0 after it. */
export type Probe<T> = (item: T) => number;

const MAX_CHUNK = 512;

export class SortedList<T> {
  private readonly chunks: T[][] = [];
  private count = 0;

  constructor(private readonly compare: Compare<T>) {}

  get size(): number {
    return this.count;
  }

  insert(item: T): void {
    this.count += 1;
    if (this.chunks.length === 0) {
      this.chunks.push([item]);
      return;
    }
    const c = Math.min(
      this.firstChunkAtOrAfter((x) => this.compare(x, item)),
      this.chunks.length - 1,
    );
    const chunk = this.chunks[c]!;
    chunk.splice(
      lowerBound(chunk, (x) => this.compare(x, item)),
      0,
      item,
    );
    if (chunk.length > MAX_CHUNK) this.chunks.splice(c + 1, 0, chunk.splice(MAX_CHUNK / 2));
  }

  /** False when the item is not in the list (at the place its current key says). */
  delete(item: T): boolean {
    const probe = (x: T) => this.compare(x, item);
    const c = this.firstChunkAtOrAfter(probe);
    const chunk = this.chunks[c];
    if (!chunk) return false;
    const i = lowerBound(chunk, probe);
    if (chunk[i] !== item) return false;
    chunk.splice(i, 1);
    if (chunk.length === 0) this.chunks.splice(c, 1);
    this.count -= 1;
    return true;
  }

  /**
   * Visits items in order, ascending (direction 1) or descending (-1), starting after `bound` in that
   * direction (strictly), or at the first item when there is no bound, until `visit` answers false.
   * The list must not change meanwhile.
   */
  forEach(direction: 1 | -1, bound: Probe<T> | undefined, visit: (item: T) => boolean): void {
    let [c, i] = this.start(direction, bound);
    while (c >= 0 && c < this.chunks.length) {
      const chunk = this.chunks[c]!;
      for (; i >= 0 && i < chunk.length; i += direction) if (!visit(chunk[i]!)) return;
      c += direction;
      i = direction === 1 ? 0 : (this.chunks[c]?.length ?? 0) - 1;
    }
  }

  /** Every item, in order (for tests and rare full scans). */
  toArray(direction: 1 | -1 = 1): T[] {
    const items: T[] = [];
    this.forEach(direction, undefined, (item) => items.push(item) > 0);
    return items;
  }

  private start(direction: 1 | -1, bound?: Probe<T>): [number, number] {
    if (direction === 1) {
      if (!bound) return [0, 0];
      // The first item after the bound.
      const c = this.firstChunkAtOrAfter((x) => (bound(x) > 0 ? 1 : -1));
      return [c, c < this.chunks.length ? lowerBound(this.chunks[c]!, (x) => (bound(x) > 0 ? 1 : -1)) : 0];
    }
    const last = this.chunks.length - 1;
    if (!bound) return [last, (this.chunks[last]?.length ?? 0) - 1];
    // The last item before the bound: one before the first item at or after it.
    const atOrAfter = (x: T) => (bound(x) >= 0 ? 1 : -1);
    const c = this.firstChunkAtOrAfter(atOrAfter);
    if (c >= this.chunks.length) return [last, (this.chunks[last]?.length ?? 0) - 1];
    const i = lowerBound(this.chunks[c]!, atOrAfter) - 1;
    return i >= 0 ? [c, i] : [c - 1, (this.chunks[c - 1]?.length ?? 0) - 1];
  }

  /** The first chunk whose last item is at or after the probe's bound (chunks.length when none is). */
  private firstChunkAtOrAfter(probe: Probe<T>): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = this.chunks[mid]!;
      if (probe(chunk[chunk.length - 1]!) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** The first index whose item is at or after the probe's bound. */
function lowerBound<T>(items: T[], probe: Probe<T>): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (probe(items[mid]!) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
