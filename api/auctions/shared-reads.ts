/**
 * Reads shared by the streams a crowd opens on one auction at once (a link shared, every client of a
 * restarted process coming back): one read serves every caller that asked before it began, instead of
 * one Postgres and Redis round trip each. A stream must see state read after it subscribed (what
 * happened before is in the read, what happens after reaches it live), so a caller never joins a read
 * already under way: it waits for the next one, which begins when that one ends and serves everyone
 * who asked meanwhile.
 */
interface Batch<T> {
  running: Promise<T>;
  /** The read that begins when `running` ends, for those who asked while it ran. */
  next: Promise<T> | null;
}

const settled = () => undefined;

export class SharedReads<T> {
  private readonly batches = new Map<string, Batch<T>>();

  /** `load` is given the key, so no caller's closure (and what it holds) outlives its read. */
  constructor(private readonly load: (key: string) => Promise<T>) {}

  read(key: string): Promise<T> {
    const batch = this.batches.get(key);
    if (!batch) return this.begin(key);
    batch.next ??= batch.running.then(settled, settled).then(() => this.begin(key));
    return batch.next;
  }

  private begin(key: string): Promise<T> {
    const batch: Batch<T> = { running: this.load(key), next: null };
    this.batches.set(key, batch);
    const end = () => {
      if (this.batches.get(key) === batch && batch.next === null) this.batches.delete(key);
    };
    batch.running.then(end, end);
    return batch.running;
  }
}
