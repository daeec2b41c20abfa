/**
 * The signed-in sessions, one per API: `credentials.json` in the config directory (environment.ts),
 * the file 0600 and its directory 0700, since a refresh token is a month of someone's account. Kept
 * per API (its base URL) so a token is only ever sent to the API that issued it, whatever --api says.
 *
 * Written whole to a temporary file and renamed over the old one, so a reader never sees half a file.
 * A refresh token works once (the API revokes the whole sign-in when a used one comes back), so two
 * commands refreshing at the same moment would sign each other out: refreshes run under a lock file
 * (withLock), and each re-reads the file inside it to pick up the other's new tokens.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export interface StoredSession {
  accessToken: string;
  /** ISO time: when the access token stops working. */
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  /** Who signed in, as the API said at login (for logout to say who was signed out). */
  user?: { id: string; email: string; displayName: string };
}

interface CredentialsFile {
  version: 1;
  sessions: Record<string, StoredSession>;
}

const FILE = 'credentials.json';
const LOCK = 'credentials.lock';
/** A lock older than this was left by a command that died mid-refresh (a refresh takes milliseconds). */
const STALE_LOCK_MS = 10_000;
const LOCK_WAIT_MS = 15_000;

export class TokenStore {
  constructor(readonly dir: string) {}

  get file(): string {
    return path.join(this.dir, FILE);
  }

  read(api: string): StoredSession | null {
    return this.load().sessions[api] ?? null;
  }

  write(api: string, session: StoredSession): void {
    const file = this.load();
    file.sessions[api] = session;
    this.save(file);
  }

  remove(api: string): void {
    const file = this.load();
    if (!(api in file.sessions)) return;
    delete file.sessions[api];
    this.save(file);
  }

  /** Runs `work` holding the store's lock (a file made with O_EXCL): one refresh at a time, across processes. */
  async withLock<T>(work: () => Promise<T>): Promise<T> {
    this.ensureDir();
    const lock = path.join(this.dir, LOCK);
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        fs.closeSync(fs.openSync(lock, 'wx', 0o600));
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        if (isStale(lock)) fs.rmSync(lock, { force: true });
        else if (Date.now() > deadline) {
          throw new Error(`${lock} is held by another gavel command; remove it if none runs`, { cause: error });
        } else await sleep(25);
      }
    }
    try {
      return await work();
    } finally {
      fs.rmSync(lock, { force: true });
    }
  }

  private load(): CredentialsFile {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, sessions: {} };
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as Partial<CredentialsFile>;
      if (parsed.version === 1 && parsed.sessions && typeof parsed.sessions === 'object') {
        return { version: 1, sessions: parsed.sessions };
      }
    } catch {
      // fall through: a file we cannot read is as good as none (the next login writes a good one)
    }
    return { version: 1, sessions: {} };
  }

  private save(file: CredentialsFile): void {
    this.ensureDir();
    const temporary = path.join(this.dir, `.${FILE}.${randomBytes(6).toString('hex')}`);
    // The mode applies at creation, before a byte is written: the tokens are never readable by others.
    fs.writeFileSync(temporary, JSON.stringify(file, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    fs.renameSync(temporary, this.file);
    fs.chmodSync(this.file, 0o600);
  }

  /** The directory, 0700 even when it existed before with a looser mode (mkdir's mode is cut by the umask only). */
  private ensureDir(): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(this.dir, 0o700);
  }
}

function isStale(lock: string): boolean {
  try {
    return Date.now() - fs.statSync(lock).mtimeMs > STALE_LOCK_MS;
  } catch {
    return false; // gone meanwhile: the next try takes it
  }
}
