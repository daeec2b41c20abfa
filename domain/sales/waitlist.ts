/**
 * The waitlist: buyers who found a sale sold out while units were still held. Units an expired hold
 * gives back go to them first, in the order they joined, each as a new hold; what nobody waiting can
 * take goes back to `available`. lua/release-holds.lua applies this; here it is as a pure function.
 */

export interface Waiting {
  userId: string;
  /** Units still wanted. */
  quantity: number;
}

export interface Served {
  userId: string;
  quantity: number;
}

export interface WaitlistRelease {
  /** New holds, in waitlist order. */
  served: Served[];
  /** The waitlist after: a head served in part keeps its place with what it still wants. */
  waiting: Waiting[];
  /** Units nobody waiting took: back to available. */
  unclaimed: number;
}

/**
 * Hands `units` to the waitlist in order. Each buyer gets at most what they wait for and what their
 * limit still allows (`unitsOf`: held and bought); one whose limit is used up leaves the list.
 */
export function releaseToWaitlist(
  units: number,
  waiting: readonly Waiting[],
  perUserLimit: number,
  unitsOf: (userId: string) => number,
): WaitlistRelease {
  const served: Served[] = [];
  const queue = waiting.map((w) => ({ ...w }));
  const extra = new Map<string, number>();
  let left = units;
  while (left > 0 && queue.length > 0) {
    const head = queue[0]!;
    const room = perUserLimit - unitsOf(head.userId) - (extra.get(head.userId) ?? 0);
    const give = Math.min(head.quantity, room, left);
    if (give <= 0) {
      queue.shift();
      continue;
    }
    served.push({ userId: head.userId, quantity: give });
    extra.set(head.userId, (extra.get(head.userId) ?? 0) + give);
    left -= give;
    head.quantity -= give;
    if (head.quantity === 0) queue.shift();
  }
  return { served, waiting: queue, unclaimed: left };
}
