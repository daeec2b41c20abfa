/**
 * Aiming a fault at one step: a transaction of the test's holds a lock the step needs, so the step
 * waits right there (before its commit, or after it, by which lock) until the fault has struck. Nothing
 * else is changed: the step's own code runs as always, only later.
 */
import pg from 'pg';

export class LockHold {
  private constructor(
    private readonly client: pg.Client,
    private readonly pid: number,
  ) {}

  /** BEGIN, then `statements` (each takes its locks), held until release(). */
  static async take(connectionString: string, statements: readonly { text: string; values?: unknown[] }[]) {
    const client = new pg.Client({ connectionString });
    await client.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await client.query('BEGIN');
    for (const statement of statements) await client.query(statement.text, statement.values);
    return new LockHold(client, rows[0]!.pid);
  }

  /**
   * Sessions waiting on this hold right now. Asked on another connection: inside the holding
   * transaction, pg_stat_activity would stay the snapshot of its first read.
   */
  async waiters(pool: pg.Pool): Promise<number> {
    const { rows } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))',
      [this.pid],
    );
    return rows[0]!.n;
  }

  /** Waits until `count` sessions wait on the hold, or the deadline; answers how many do. */
  async waitForWaiters(pool: pg.Pool, count: number, deadline: number): Promise<number> {
    for (;;) {
      const n = await this.waiters(pool);
      if (n >= count || Date.now() >= deadline) return n;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async release(): Promise<void> {
    await this.client.query('COMMIT');
    await this.client.end();
  }
}
