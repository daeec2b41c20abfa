/** Reading a user's notifications in tests: the inbox over HTTP, and the rows themselves. */
import { call } from './http.js';

export interface NotificationJson {
  id: number;
  type: string;
  auctionId: string | null;
  data: Record<string, unknown> & { title: string };
  createdAt: string;
  readAt: string | null;
}

export interface InboxJson {
  items: NotificationJson[];
  nextCursor: string | null;
  unreadCount: number;
}

export async function inbox(baseUrl: string, token: string, query = ''): Promise<InboxJson> {
  const answer = await call<InboxJson>(`${baseUrl}/v1/users/me/notifications?limit=100${query}`, { token });
  if (answer.status !== 200) throw new Error(`inbox answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** Waits until the user's inbox holds `count` notifications of `type` (for `auctionId`), and returns them. */
export async function waitForNotifications(
  baseUrl: string,
  token: string,
  match: { type: string; auctionId?: string; count?: number },
  timeoutMs = 20_000,
): Promise<NotificationJson[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await inbox(baseUrl, token)).items.filter(
      (n) => n.type === match.type && (match.auctionId === undefined || n.auctionId === match.auctionId),
    );
    if (found.length >= (match.count ?? 1)) return found;
    if (Date.now() > deadline) {
      throw new Error(`expected ${match.count ?? 1} ${match.type}, found ${found.length} within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Lets any late duplicate show up before a test counts (the pipeline must never produce one). */
export const settle = (ms = 1500) => new Promise((resolve) => setTimeout(resolve, ms));
