/**
 * A user's own retractions as RETRACTIONS_TO_BLOCK counts them, across every auction and API process:
 * Postgres holds those the persist cycle has stored, Redis those reserved by the API until then
 * (lua/reserve-retraction.lua), and one script decides over both, so concurrent retractions cannot
 * pass the limit together. The key carries the user id as its hash tag (one slot on a Cluster).
 */
import { readFileSync } from 'node:fs';
import type { RedisClient } from '../config/redis.js';

const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;

interface LedgerScripts {
  gavelReserveRetraction(key: string, ...args: string[]): Promise<[number, number]>;
}

export const retractionLedgerKey = (userId: string) => `user:{${userId}}:retractions`;

export class RetractionLedger {
  private readonly scripts: LedgerScripts;

  constructor(private readonly redis: RedisClient) {
    redis.defineCommand('gavelReserveRetraction', {
      numberOfKeys: 1,
      lua: readFileSync(new URL('./reserve-retraction.lua', import.meta.url), 'utf8'),
    });
    this.scripts = redis as unknown as LedgerScripts;
  }

  /**
   * Whether the user may retract on `auctionId` now, given the auctions of their persisted retractions in
   * the window; when they may, the retraction is reserved (release it if the retraction is then refused).
   */
  async reserve(input: {
    userId: string;
    auctionId: string;
    windowMs: number;
    limit: number;
    persistedAuctionIds: readonly string[];
  }): Promise<{ allowed: boolean; release: () => Promise<void> }> {
    if (!USER_ID.test(input.userId)) throw new TypeError(`not a user id: ${JSON.stringify(input.userId)}`);
    const key = retractionLedgerKey(input.userId);
    const [allowed, reserved] = await this.scripts.gavelReserveRetraction(
      key,
      String(input.windowMs),
      String(input.limit),
      input.auctionId,
      ...input.persistedAuctionIds,
    );
    return {
      allowed: allowed === 1,
      release: async () => {
        if (reserved === 1) await this.redis.zrem(key, input.auctionId);
      },
    };
  }
}
