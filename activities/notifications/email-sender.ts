/**
 * Sends the email outbox. Each pass claims due rows (a lease: their next attempt moves a claim period
 * ahead, so a worker that dies mid-send leaves them to be taken again, and two workers never take the
 * same row at once), renders and sends them over one pooled SMTP transport, and marks each sent, or
 * due again after a backoff. An SMTP server that is down delays mail; nothing is dropped. Mail whose
 * recipient has since been deleted or has turned the type off is marked done without sending.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import { toNotification } from '../../db/notification-rows.js';
import type { Database } from '../../db/pool.js';
import { emailOutbox, notifications, users } from '../../db/schema.js';
import { emailContent } from '../../domain/notifications/email-content.js';
import { carries } from '../../domain/notifications/settings.js';
import type { Notification } from '../../domain/notifications/types.js';
import { DEVELOPMENT_LINK_SECRET, signUnsubscribeToken } from '../../domain/notifications/unsubscribe-token.js';
import type { Config } from '../../config/env.js';
import { readSettings } from '../../db/notification-settings.js';
import { noActivityMetrics, type ActivityMetrics } from '../metrics.js';
import { pollOutbox } from './outbox-poll.js';

const BATCH = 50;
/** A claimed row is taken again if its send has not been recorded by then (the worker died). */
const CLAIM_SECONDS = 120;

export interface EmailOptions {
  smtpUrl: string;
  from: string;
  ratePerSecond: number;
  retryMaxSeconds: number;
  publicUrl: string;
  linkSecret: string;
  stopping: AbortSignal;
  /** How long one activity call polls before it returns to the workflow. */
  pollForMs?: number;
  idleMs?: number;
  /** Told of each send and how it ended (the worker's /metrics). */
  metrics?: ActivityMetrics;
}

export type MailConfig = Pick<
  Config,
  | 'SMTP_URL'
  | 'MAIL_FROM'
  | 'EMAIL_RATE_PER_SECOND'
  | 'EMAIL_RETRY_MAX_SECONDS'
  | 'PUBLIC_URL'
  | 'NOTIFICATION_LINK_SECRET'
>;

/** The mail dependencies of the activities, from config; the caller closes the transport when it stops. */
export function createMailer(config: MailConfig): { transport: Transporter; options: Omit<EmailOptions, 'stopping'> } {
  const options = {
    smtpUrl: config.SMTP_URL,
    from: config.MAIL_FROM,
    ratePerSecond: config.EMAIL_RATE_PER_SECOND,
    retryMaxSeconds: config.EMAIL_RETRY_MAX_SECONDS,
    publicUrl: config.PUBLIC_URL,
    linkSecret: config.NOTIFICATION_LINK_SECRET ?? DEVELOPMENT_LINK_SECRET,
  };
  return { transport: createEmailTransport(options), options };
}

function createEmailTransport(options: Pick<EmailOptions, 'smtpUrl' | 'ratePerSecond'>): Transporter {
  return nodemailer.createTransport({
    ...smtpUrlParts(options.smtpUrl),
    pool: true,
    maxConnections: 2,
    // nodemailer's own pacing: at most this many messages per second through the pool.
    rateLimit: options.ratePerSecond,
    rateDelta: 1000,
    connectionTimeout: 10_000,
    socketTimeout: 30_000,
  });
}

/** nodemailer takes a URL only as the whole transport; with pool options, its parts. */
function smtpUrlParts(smtpUrl: string) {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
  };
}

interface Claimed {
  notificationId: number;
  attempts: number;
}

export function createEmailActivities(db: Database, transport: Transporter, options: EmailOptions) {
  const metrics = options.metrics ?? noActivityMetrics;
  const backoffSeconds = (attempts: number) => Math.min(2 ** Math.max(0, attempts - 1), options.retryMaxSeconds);

  async function claim(): Promise<Claimed[]> {
    const { rows } = await db.execute<{ notification_id: string; attempts: number }>(sql`
      UPDATE email_outbox SET next_attempt_at = now() + make_interval(secs => ${CLAIM_SECONDS}), attempts = attempts + 1
       WHERE notification_id IN (
         SELECT notification_id FROM email_outbox
          WHERE sent_at IS NULL AND next_attempt_at <= now()
          ORDER BY next_attempt_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
      RETURNING notification_id, attempts`);
    return rows.map((row) => ({ notificationId: Number(row.notification_id), attempts: row.attempts }));
  }

  /** Sent, or (with a note) not to be sent: either way the row leaves the outbox. */
  async function markDone(notificationId: number, note: string | null): Promise<void> {
    await db
      .update(emailOutbox)
      .set({ sentAt: new Date(), lastError: note })
      .where(eq(emailOutbox.notificationId, notificationId));
    metrics.deliveryAttempted('email', note === null ? 'delivered' : 'skipped');
  }

  async function markFailed(claimed: Claimed, error: unknown): Promise<void> {
    await db
      .update(emailOutbox)
      .set({
        nextAttemptAt: sql`now() + make_interval(secs => ${backoffSeconds(claimed.attempts)})`,
        lastError: String(error instanceof Error ? error.message : error).slice(0, 500),
      })
      .where(eq(emailOutbox.notificationId, claimed.notificationId));
    // Mail is retried until it goes: it never fails for good.
    metrics.deliveryAttempted('email', 'retrying');
  }

  async function send(claimed: Claimed, row: MailRow | undefined): Promise<void> {
    if (!row || row.deletedAt !== null) return markDone(claimed.notificationId, 'not sent: the account is deleted');
    const settings = await readSettings(db, row.userId);
    if (!carries(settings, 'email', row.notification.type)) {
      return markDone(claimed.notificationId, 'not sent: the user turned this type off');
    }
    const token = await signUnsubscribeToken(options.linkSecret, { userId: row.userId, type: row.notification.type });
    const unsubscribe = `${options.publicUrl}/v1/notifications/unsubscribe?token=${token}`;
    const auctionId = row.notification.auctionId;
    const orderId = row.notification.data.orderId;
    const content = emailContent(row.notification, {
      auction: auctionId ? `${options.publicUrl}/v1/auctions/${auctionId}` : null,
      // A flash sale's order has no auction: the mail leads to the order itself.
      order: orderId ? `${options.publicUrl}/v1/orders/${orderId}` : null,
      unsubscribe,
    });
    try {
      await transport.sendMail({
        from: options.from,
        to: row.email,
        subject: content.subject,
        text: content.text,
        html: content.html,
        // RFC 8058 one-click: a mail client POSTs to the link; nothing else is needed to unsubscribe.
        list: { unsubscribe: { url: unsubscribe, comment: 'Unsubscribe' } },
        headers: {
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          // Lets a receiving system tie retries of the same notification together.
          'X-Gavel-Notification-Id': String(claimed.notificationId),
        },
      });
    } catch (error) {
      return markFailed(claimed, error);
    }
    await markDone(claimed.notificationId, null);
  }

  async function takeBatch(): Promise<number> {
    const claimed = await claim();
    if (claimed.length === 0) return 0;
    const rows = await mailRows(
      db,
      claimed.map((c) => c.notificationId),
    );
    await Promise.all(claimed.map((c) => send(c, rows.get(c.notificationId))));
    return claimed.length;
  }

  return {
    /** Sends due mail for up to a minute (the outbox dispatch workflow calls it again and again). */
    async sendDueEmails(): Promise<{ handled: number }> {
      return pollOutbox(takeBatch, {
        forMs: options.pollForMs ?? 60_000,
        idleMs: options.idleMs ?? 500,
        stopping: options.stopping,
      });
    },
  };
}

interface MailRow {
  userId: string;
  email: string;
  deletedAt: Date | null;
  notification: Notification;
}

async function mailRows(db: Database, ids: number[]): Promise<Map<number, MailRow>> {
  const rows = await db
    .select({
      id: notifications.id,
      type: notifications.type,
      auctionId: notifications.auctionId,
      data: notifications.data,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
      userId: users.id,
      email: users.email,
      deletedAt: users.deletedAt,
    })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.userId))
    .where(inArray(notifications.id, ids));
  return new Map(
    rows.map((row) => [
      row.id,
      {
        userId: row.userId,
        email: row.email,
        deletedAt: row.deletedAt,
        notification: toNotification(row),
      },
    ]),
  );
}
