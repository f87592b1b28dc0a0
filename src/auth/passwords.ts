import bcrypt from 'bcrypt';

/** bcrypt reads at most 72 bytes; longer passwords are refused, never silently truncated. */
export const PASSWORD_MIN_BYTES = 8;
export const PASSWORD_MAX_BYTES = 72;

export class Passwords {
  private dummyHash: Promise<string>;

  constructor(private readonly cost: number) {
    // Compared against when the email is unknown, so that answer takes as long as a wrong password.
    this.dummyHash = bcrypt.hash('dummy password for timing', cost);
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.cost);
  }

  /** Verifies against the stored hash, or spends the same time on a dummy one when there is none. */
  async verify(password: string, hash: string | undefined): Promise<boolean> {
    const matches = await bcrypt.compare(password, hash ?? (await this.dummyHash));
    return matches && hash !== undefined;
  }
}
