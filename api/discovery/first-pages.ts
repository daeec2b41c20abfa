/**
 * First pages answered lately, answered again while the model has not changed at all (its generation)
 * and for at most MAX_AGE_MS: a busy front page is then one lookup. What is answered again is what would
 * be computed again: the page as of the same snapshot, whose clock (when a scheduled auction counts as
 * open) is the first answer's, at most MAX_AGE_MS old. Next pages, and searches, are always computed.
 */
const MAX_AGE_MS = 1000;

interface Entry {
  generation: number;
  atMs: number;
  body: string;
}

export class FirstPageCache {
  private readonly pages = new Map<string, Entry>();

  constructor(private readonly capacity: number) {}

  get(key: string, generation: number, nowMs: number): string | null {
    const entry = this.pages.get(key);
    if (!entry || entry.generation !== generation || nowMs - entry.atMs > MAX_AGE_MS) return null;
    return entry.body;
  }

  set(key: string, generation: number, atMs: number, body: string): void {
    this.pages.delete(key); // re-inserted: the most recent last
    this.pages.set(key, { generation, atMs, body });
    if (this.pages.size > this.capacity) this.pages.delete(this.pages.keys().next().value!);
  }
}
