/**
 * The test stack's Mailpit, read through its HTTP API (MAILPIT_URL, set by `npm test`): what the code
 * under test sent over SMTP_URL. The mailbox is shared by every test file of a run (they run side by
 * side), so a test looks for mail to an address of its own rather than counting or emptying the lot.
 * Shapes as Mailpit v1.33.1 serves them (server/apiv1/, internal/storage/structs.go).
 */

/** net/mail.Address as Go encodes it. */
export interface MailAddress {
  Name: string;
  Address: string;
}

/** One message in a list (GET /api/v1/messages, GET /api/v1/search). */
export interface MessageSummary {
  /** Mailpit's database id: what getMessage() takes. */
  ID: string;
  /** The Message-ID header, without its angle brackets. */
  MessageID: string;
  Read: boolean;
  From: MailAddress | null;
  To: MailAddress[] | null;
  Cc: MailAddress[] | null;
  Bcc: MailAddress[] | null;
  ReplyTo: MailAddress[] | null;
  Subject: string;
  /** When Mailpit received it (RFC 3339). */
  Created: string;
  Tags: string[];
  Size: number;
  Attachments: number;
  /** The start of the text, at most 250 characters. */
  Snippet: string;
}

export interface MessagesPage {
  /** Messages in the mailbox. */
  total: number;
  unread: number;
  /** Messages matching (all of them, for a plain list). */
  messages_count: number;
  start: number;
  /** Newest first; at most `limit` (50 unless asked). */
  messages: MessageSummary[];
}

export interface Attachment {
  PartID: string;
  FileName: string;
  ContentType: string;
  ContentID: string;
  Size: number;
}

/** One message in full (GET /api/v1/message/{ID}); its headers are getHeaders()'s. */
export interface Message {
  ID: string;
  MessageID: string;
  From: MailAddress | null;
  To: MailAddress[] | null;
  Cc: MailAddress[] | null;
  Bcc: MailAddress[] | null;
  ReplyTo: MailAddress[] | null;
  ReturnPath: string;
  Subject: string;
  /** Mailpit's reading of List-Unsubscribe (and List-Unsubscribe-Post), with any problem it sees in it. */
  ListUnsubscribe: { Header: string; Links: string[] | null; Errors: string; HeaderPost: string };
  /** The Date header, or the time received when there is none. */
  Date: string;
  Tags: string[];
  /** The SMTP login's user name, if any. */
  Username: string;
  /** The text/plain part ("" when none). */
  Text: string;
  /** The text/html part ("" when none). */
  HTML: string;
  Size: number;
  Inline: Attachment[];
  Attachments: Attachment[];
}

/** Header name in Go's canonical case (List-Unsubscribe, Message-Id, Mime-Version) → its values, in order. */
export type Headers = Record<string, string[]>;

function baseUrl(): string {
  const url = process.env.MAILPIT_URL;
  if (!url) throw new Error('MAILPIT_URL is not set: run the tests with npm test');
  return url.replace(/\/$/, '');
}

async function request(method: string, path: string): Promise<Response> {
  const response = await fetch(`${baseUrl()}${path}`, { method });
  if (!response.ok) throw new Error(`Mailpit: ${method} ${path} answered ${response.status}: ${await response.text()}`);
  return response;
}

/**
 * The newest messages, or those matching a Mailpit search (`to:`, `from:`, `subject:`, free text...;
 * `to:` matches part of an address, so check the addresses of what comes back).
 */
export async function listMessages(query?: string, limit = 50): Promise<MessagesPage> {
  const path = query
    ? `/api/v1/search?${new URLSearchParams({ query, limit: String(limit) }).toString()}`
    : `/api/v1/messages?limit=${limit}`;
  return (await request('GET', path)).json() as Promise<MessagesPage>;
}

const sentTo = (message: MessageSummary, address: string) =>
  (message.To ?? []).some((to) => to.Address.toLowerCase() === address.toLowerCase());

/** The messages with `address` among their To addresses, newest first. */
export async function messagesTo(address: string): Promise<MessageSummary[]> {
  const page = await listMessages(`to:"${address}"`);
  return page.messages.filter((message) => sentTo(message, address));
}

export async function getMessage(id: string): Promise<Message> {
  return (await request('GET', `/api/v1/message/${encodeURIComponent(id)}`)).json() as Promise<Message>;
}

export async function getHeaders(id: string): Promise<Headers> {
  return (await request('GET', `/api/v1/message/${encodeURIComponent(id)}/headers`)).json() as Promise<Headers>;
}

/** The message as it arrived, headers and MIME parts. */
export async function getRaw(id: string): Promise<string> {
  return (await request('GET', `/api/v1/message/${encodeURIComponent(id)}/raw`)).text();
}

/** Empties the whole mailbox: other test files' mail too, so only for a test that runs alone. */
export async function deleteAll(): Promise<void> {
  await request('DELETE', '/api/v1/messages');
}

export interface WaitOptions {
  /** A Mailpit search narrowing the list, as listMessages() takes; the newest 50 when unset. */
  query?: string;
  /** Keeps only the messages it accepts. */
  where?: (message: MessageSummary) => boolean;
  /** How many to wait for: at least this many (1 unless set). */
  count?: number;
  timeoutMs?: number;
}

/** Polls until at least `count` messages match, and returns them (newest first); throws at the deadline. */
export async function waitForMessages(options: WaitOptions = {}): Promise<MessageSummary[]> {
  const { query, where = () => true, count = 1, timeoutMs = 10_000 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await listMessages(query, Math.max(50, count))).messages.filter(where);
    if (found.length >= count) return found;
    if (Date.now() >= deadline) {
      throw new Error(
        `Mailpit: ${found.length} of ${count} message(s) after ${timeoutMs} ms (query: ${query ?? 'none'})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits for `count` messages to `address` (exactly that address among their To). */
export const waitForMessagesTo = (address: string, count = 1, timeoutMs?: number) =>
  waitForMessages({ query: `to:"${address}"`, where: (message) => sentTo(message, address), count, timeoutMs });
