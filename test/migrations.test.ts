import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { migrateDatabase, migrationsFolder } from '../db/migrate.js';
import { openDatabase } from '../db/pool.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';

const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
  entries: { tag: string }[];
};

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase({ migrate: false });
});
after(() => database.drop());

const appliedCount = async () =>
  Number(
    (await database.pool.query<{ n: string }>('SELECT count(*) AS n FROM drizzle.__drizzle_migrations')).rows[0]?.n,
  );

/** A table's primary-key columns, by name (the table name is this file's own literal, never input). */
async function primaryKeyOf(table: string): Promise<string[]> {
  const { rows } = await database.pool.query<{ column_name: string }>(
    `SELECT a.attname AS column_name FROM pg_index i
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
      WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY a.attname`,
    [table],
  );
  return rows.map((row) => row.column_name);
}

test('when two processes migrate an empty database at once, then every migration is applied exactly once', async () => {
  // Separate pools: separate Postgres sessions, as two starting processes would have.
  const others = [openDatabase(database.url, 2), openDatabase(database.url, 2), openDatabase(database.url, 2)];
  try {
    await Promise.all(others.map((other) => migrateDatabase(other.pool)));
  } finally {
    await Promise.all(others.map((other) => other.pool.end()));
  }
  assert.equal(await appliedCount(), journal.entries.length);
});

test('when migrations run again, then nothing changes', async () => {
  await migrateDatabase(database.pool);
  assert.equal(await appliedCount(), journal.entries.length);
});

test('when migrated, then the tables, keys and checks of the schema exist', async () => {
  const tables = await database.pool.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  );
  assert.deepEqual(
    tables.rows.map((row) => row.table_name),
    [
      'auction_images',
      'auctions',
      'audit_log',
      'bid_doublings',
      'bid_retractions',
      'bids',
      'checkout_sessions',
      'email_outbox',
      'notification_settings',
      'notifications',
      'orders',
      'payouts',
      'promotion_firings',
      'promotions',
      'refresh_tokens',
      'sales',
      'second_chance_offers',
      'stripe_events',
      'unpaid_strikes',
      'user_identities',
      'users',
      'watchlist',
      'webhook_attempts',
      'webhook_deliveries',
      'webhooks',
    ],
  );
  assert.deepEqual(await primaryKeyOf('bids'), ['auction_id', 'seq']);
  // Retractions are keyed like the bids, by the seq the script gave them.
  assert.deepEqual(await primaryKeyOf('bid_retractions'), ['auction_id', 'seq']);
  await assert.rejects(
    database.pool.query("INSERT INTO users (email, display_name) VALUES ('A@x.test', 'a'), ('a@x.test', 'b')"),
    /users_email_lower_key/,
  );
  // Images: only the types an upload may be sniffed as.
  await assert.rejects(
    database.pool.query(
      `INSERT INTO auction_images (auction_id, object_key, content_type, bytes, width, height)
       VALUES (gen_random_uuid(), 'k', 'text/html', 1, 1, 1)`,
    ),
    /auction_images_content_type/,
  );
  assert.deepEqual(await primaryKeyOf('user_identities'), ['issuer', 'subject']);
  // Notifications: one row per occurrence per user, and only the known types.
  const [user] = (
    await database.pool.query<{ id: string }>(
      "INSERT INTO users (email, display_name) VALUES ('n@x.test', 'n') RETURNING id",
    )
  ).rows;
  const insert = (type: string, key: string) =>
    database.pool.query(`INSERT INTO notifications (user_id, type, data, dedupe_key) VALUES ($1, $2, '{}', $3)`, [
      user!.id,
      type,
      key,
    ]);
  await insert('outbid', 'k1');
  await assert.rejects(insert('outbid', 'k1'), /notifications_dedupe_key_unique/);
  await assert.rejects(insert('spam', 'k2'), /notifications_type/);
  await insert('waitlist_offer', 'k3'); // migration 0008: a flash sale's waitlist
  await insert('bid_doubled', 'k4'); // migration 0011: the promoter
  assert.deepEqual(await primaryKeyOf('watchlist'), ['auction_id', 'user_id']);
  // Orders: the total adds up, and an auction never has two orders awaiting payment or two paid.
  const [auction] = (
    await database.pool.query<{ id: string }>(
      `INSERT INTO auctions (seller_id, title, starting_price, starts_at, ends_at, status, outcome, closed_at)
       VALUES ($1, 'lot', 100, now() - interval '1 hour', now(), 'closed', 'sold', now()) RETURNING id`,
      [user!.id],
    )
  ).rows;
  const order = (status: string, total = 110) =>
    database.pool.query(
      `INSERT INTO orders (auction_id, kind, buyer_id, seller_id, hammer_price, buyers_premium, total, currency, status, pay_by)
       VALUES ($1, 'auction', $2, $2, 100, 10, $3, 'USD', $4, now())`,
      [auction!.id, user!.id, total, status],
    );
  await assert.rejects(order('awaiting_payment', 111), /orders_total/);
  await order('awaiting_payment');
  await assert.rejects(order('paid'), /orders_one_per_auction_close/);
  await assert.rejects(order('lost'), /orders_status/);
  // Promotions (migration 0011): the house never pays the whole order, and budgets stay in bounds.
  await assert.rejects(
    database.pool.query('UPDATE orders SET house_subsidy = total WHERE auction_id = $1', [auction!.id]),
    /orders_house_subsidy/,
  );
  const promotion = (budget: number) =>
    database.pool.query(
      `INSERT INTO promotions (every, jitter, max_per_auction, budget, currency, strategy, created_by)
       VALUES ('PT1H', 'PT0S', 1, $1, 'USD', 'uniform', $2)`,
      [budget, user!.id],
    );
  await assert.rejects(promotion(-1), /promotions_budget/);
  await assert.rejects(promotion(1e12), /promotions_budget/);
  await promotion(100);
  // Moderation (migration 0010): known roles only, a block always with its reason; the audit log append-only.
  await assert.rejects(
    database.pool.query('UPDATE users SET role = $1 WHERE id = $2', ['root', user!.id]),
    /users_role/,
  );
  await assert.rejects(
    database.pool.query('UPDATE users SET blocked_at = now() WHERE id = $1', [user!.id]),
    /users_blocked_reason/,
  );
  await database.pool.query(
    "INSERT INTO audit_log (action, target_type, target_id, reason) VALUES ('user_blocked', 'user', $1, 'test')",
    [user!.id],
  );
  await assert.rejects(database.pool.query('DELETE FROM audit_log'), /append-only/);
});

/** The command the Helm chart's pre-install/pre-upgrade hook runs, as a process of its own. */
async function runMigrationCommand(databaseUrl: string): Promise<{ code: number; output: string }> {
  const env = { PATH: process.env.PATH, NODE_ENV: 'production', DATABASE_URL: databaseUrl };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'db/migrate-main.ts'], {
      env,
      timeout: 60_000,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

test('when the migration command runs on an empty database with only DATABASE_URL set, then it applies every migration and exits 0, and again changes nothing', async () => {
  const empty = await createTestDatabase({ migrate: false });
  try {
    const first = await runMigrationCommand(empty.url);
    assert.equal(first.code, 0, first.output);
    assert.match(first.output, /migrations applied/);
    const count = async () =>
      Number(
        (await empty.pool.query<{ n: string }>('SELECT count(*) AS n FROM drizzle.__drizzle_migrations')).rows[0]?.n,
      );
    assert.equal(await count(), journal.entries.length);
    assert.equal((await runMigrationCommand(empty.url)).code, 0);
    assert.equal(await count(), journal.entries.length);
  } finally {
    await empty.drop();
  }
});

test('when the migration command cannot reach its database, then it exits 1 and says why', async () => {
  const url = new URL(database.url);
  url.pathname = '/no_such_database_here';
  const result = await runMigrationCommand(url.toString());
  assert.equal(result.code, 1);
  assert.match(result.output, /no_such_database_here/);
});
