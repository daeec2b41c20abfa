/**
 * Who may see which bidder's account id. Everyone sees bidders by their alias on the auction ("Bidder 7",
 * domain/bidder-alias.ts); the account id behind an alias is shown only to the auction's seller (who
 * deals with the winner and may offer the lot to the next bidder), to admins (who void bids and judge
 * disputes), and to each bidder for their own id (so a client can tell its own bids apart). To anyone
 * else an id is null: the field stays, so clients written before bidder privacy keep parsing answers.
 */

export interface Viewer {
  /** Null: nobody signed in. */
  userId: string | null;
  admin: boolean;
}

export const ANONYMOUS: Viewer = { userId: null, admin: false };

/** A bidder's account id as `viewer` may see it: the id, or null. */
export type ShownBidderId = (bidderId: string | null) => string | null;

/** Every id: what the seller and admins see. */
const everyId: ShownBidderId = (bidderId) => bidderId;

/** The viewer's own id only, or (anonymous) none at all. */
const ownIdOnly =
  (userId: string | null): ShownBidderId =>
  (bidderId) =>
    userId !== null && bidderId === userId ? bidderId : null;

/** Whether `viewer` sees every bidder of the auction by account: its seller, or an admin. */
export const seesEveryBidder = (viewer: Viewer, sellerId: string): boolean =>
  viewer.admin || (viewer.userId !== null && viewer.userId === sellerId);

/** Which bidder ids `viewer` may see on the auction `sellerId` sells. */
export const bidderIdsShownTo = (viewer: Viewer, sellerId: string): ShownBidderId =>
  seesEveryBidder(viewer, sellerId) ? everyId : ownIdOnly(viewer.userId);
