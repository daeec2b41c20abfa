/**
 * Tokens already verified, so a client sending the same token on every request pays for one ES256
 * verification, not one per request: a jose verify costs ~170 µs (docs/architecture.md, "Why this
 * shape"), more than express's whole per-request budget. Only successes are kept, each until its token's
 * own expiry; the Map's insertion order makes it a small LRU (a hit moves the entry to the end, the
 * oldest is dropped first).
 */
export interface VerifiedToken {
  userId: string;
  /** The token's `exp`, in epoch milliseconds. */
  expiresAtMs: number;
  /** The token's `iat`, in epoch seconds (revocations compare with it). */
  issuedAt: number;
}

export class VerifiedTokenCache {
  private readonly entries = new Map<string, VerifiedToken>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(token: string): VerifiedToken | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    this.entries.delete(token);
    if (this.now() >= entry.expiresAtMs) return undefined;
    this.entries.set(token, entry);
    return entry;
  }

  set(token: string, entry: VerifiedToken): void {
    this.entries.delete(token);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, entry);
  }
}
