/**
 * Who lost the lead, and to which bid, in a run of accepted bids read in seq order. A leader who is
 * outbid, takes the lead back and loses it again is told twice; a challenger whose bid the leader's
 * proxy answered never led, so is not "outbid" (their own 201 said they do not lead). Retractions are in
the run too, because they move the lead, but whoever they take it from was not outbid.
 */
export interface LeadChange {
  seq: number;
  /** The leader after this bid. */
  leaderId: string | null;
  /** The visible price after this bid. */
  amount: number;
  /** A retraction moves the lead (back to an earlier bidder) without outbidding anyone. */
  retraction?: boolean;
}

export interface Outbid {
  /** Who lost the lead. */
  userId: string;
  /** The bid that took it. */
  seq: number;
  /** The price after that bid. */
  price: number;
}

export function outbidsIn(leaderBefore: string | null, bids: readonly LeadChange[]): Outbid[] {
  const outbids: Outbid[] = [];
  let leader = leaderBefore;
  for (const bid of bids) {
    if (leader !== null && bid.leaderId !== leader && !bid.retraction)
      outbids.push({ userId: leader, seq: bid.seq, price: bid.amount });
    leader = bid.leaderId;
  }
  return outbids;
}
