import bcrypt from 'bcrypt';
import pLimit, { type LimitFunction } from 'p-limit';
import { rateLimited } from '../errors/app-error.js';

/** bcrypt reads at most 72 bytes; longer passwords are refused, never silently truncated. */
export const PASSWORD_MIN_BYTES = 8;
export const PASSWORD_MAX_BYTES = 72;

export interface PasswordSettings {
  bcryptCost: number;
  /** bcrypt jobs at once (each holds one of libuv's threads, which token checks also need). */
  bcryptConcurrency: number;
  /** Jobs allowed to wait for a slot; beyond, RATE_LIMITED at once. */
  bcryptQueue: number;
}

/**
 * bcrypt hashing and checking, through a small bounded queue: a burst of logins or password
 * changes waits its turn or is refused, instead of occupying every libuv thread and stalling
 * everything else that needs one (JWT checks use WebCrypto, which runs there too).
 */
export class Passwords {
  private readonly dummyHash: Promise<string>;
  private readonly slots: LimitFunction;

  constructor(
    private readonly settings: PasswordSettings,
    /** Called each time the queue is full and a job is refused (the rate-limit metric). */
    private readonly onRejected: () => void = () => undefined,
  ) {
    this.slots = pLimit(settings.bcryptConcurrency);
    // Compared against when the email is unknown, so that answer takes as long as a wrong password.
    this.dummyHash = bcrypt.hash('dummy password for timing', settings.bcryptCost);
  }

  hash(password: string): Promise<string> {
    return this.run(() => bcrypt.hash(password, this.settings.bcryptCost));
  }

  /**
   * Verifies against the stored hash, or spends the same time on a dummy one when there is none.
   * A password over 72 bytes never matches: bcrypt would compare only its first 72 bytes.
   */
  async verify(password: string, hash: string | undefined): Promise<boolean> {
    const tooLong = Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES;
    const against = hash ?? (await this.dummyHash);
    const matches = await this.run(() => bcrypt.compare(password, against));
    return matches && hash !== undefined && !tooLong;
  }

  private run<T>(job: () => Promise<T>): Promise<T> {
    // Counted together: p-limit starts a job a microtask after it is queued.
    const { bcryptConcurrency, bcryptQueue } = this.settings;
    if (this.slots.activeCount + this.slots.pendingCount >= bcryptConcurrency + bcryptQueue) {
      this.onRejected();
      return Promise.reject(rateLimited(1));
    }
    return this.slots(job);
  }
}
