/**
 * The whole system as separate processes the scenarios can kill and restart: Postgres, Redis (AOF
 * everysec), the Temporal dev server (db file kept), stripe-mock, the worker and the API, each started
 * exactly as `npm start` starts it (scripts/stack), on the faults profile's own folder and ports.
 */
import fs from 'node:fs';
import { startApi, startWorker } from '../../../scripts/stack/app.js';
import { onChildSpawned, type Child } from '../../../scripts/stack/child.js';
import { startPostgres } from '../../../scripts/stack/postgres.js';
import { profiles, serviceEnv } from '../../../scripts/stack/profiles.js';
import { startRedis } from '../../../scripts/stack/redis.js';
import { stopService } from '../../../scripts/stack/stop.js';
import { startStripeMock } from '../../../scripts/stack/stripe-mock.js';
import { startTemporal } from '../../../scripts/stack/temporal.js';
import { freePort } from '../../helpers/api-process.js';
import { newEs256PrivateKeyPem } from '../../helpers/jwt.js';

/**
 * Settlement in seconds, not days, so the settlement scenarios see payment windows run out and offers
 * go by: a seller may set a 1 s window, and an automatic offer lasts 2 s. The bidding scenarios' sales
 * keep the default window (days) and never get that far.
 */
const SETTLEMENT_SECONDS = {
  SETTLEMENT_MIN_WINDOW_SECONDS: '1',
  SECOND_CHANCE_OFFER_WINDOW_SECONDS: '2',
  // Flash sales' holds in seconds too, and a crowd of claims from one address not refused for it.
  SALES_MIN_HOLD_SECONDS: '1',
  RATE_LIMIT_CLAIMS_PER_USER: 'off',
  RATE_LIMIT_CLAIMS_PER_IP: 'off',
};

export type ServiceName = 'postgres' | 'redis' | 'temporal' | 'stripe-mock' | 'worker' | 'api';

const spawned: Child[] = [];
onChildSpawned((child) => spawned.push(child));
// If the test process dies, its services must not outlive it (they run detached).
process.on('exit', () => {
  for (const child of spawned) if (child.process.exitCode === null) child.process.kill('SIGKILL');
});

export class FaultStack {
  readonly profile = profiles.faults;
  readonly env = serviceEnv(this.profile);
  private readonly running = new Map<ServiceName, Child>();
  private apiPort = 0;
  /** Fixed, as in production: tokens issued before an API restart must still be accepted after it. */
  /** The API's signing key: the flash-sale scenarios issue their crowd's tokens with it (helpers/crowd.ts). */
  readonly signingKey = newEs256PrivateKeyPem();
  private readonly apiEnv = { JWT_PRIVATE_KEY: this.signingKey, ...SETTLEMENT_SECONDS };

  get apiUrl(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }

  async start(): Promise<void> {
    fs.mkdirSync(this.profile.logDir, { recursive: true });
    this.apiPort = await freePort();
    await Promise.all([
      this.restart('postgres'),
      this.restart('redis'),
      this.restart('temporal'),
      this.restart('stripe-mock'),
    ]);
    await Promise.all([this.restart('worker'), this.restart('api')]);
  }

  /** Starts the service again (same folder, same port) and waits until it is ready. */
  async restart(name: ServiceName): Promise<void> {
    const p = this.profile;
    const starts: Record<ServiceName, () => Promise<Child>> = {
      postgres: () => startPostgres(p),
      redis: () => startRedis(p),
      temporal: () => startTemporal(p),
      'stripe-mock': () => startStripeMock(p),
      worker: () => startWorker(p, SETTLEMENT_SECONDS),
      api: () => startApi(p, this.apiPort, this.apiEnv),
    };
    this.running.set(name, await starts[name]());
  }

  /** SIGKILL: no shutdown code runs, as when a machine or container dies. */
  async kill(name: ServiceName): Promise<void> {
    const child = this.take(name);
    child.process.kill('SIGKILL');
    await child.exited;
  }

  /** The service's own clean stop (Postgres: fast shutdown, which also drops every session). */
  async stop(name: ServiceName): Promise<void> {
    await stopService(this.take(name));
  }

  async stopAll(): Promise<void> {
    for (const name of ['api', 'worker', 'stripe-mock', 'temporal', 'redis', 'postgres'] as const) {
      const child = this.running.get(name);
      if (child) await stopService(child);
      this.running.delete(name);
    }
  }

  private take(name: ServiceName): Child {
    const child = this.running.get(name);
    if (!child) throw new Error(`${name} is not running`);
    this.running.delete(name);
    return child;
  }
}
