/**
 * How many of something long (exports, imports) each user has running, at most `limit` at once.
 * Counted in this process: with several server instances the cap applies to each of them.
 */
export class UserSlots {
  private readonly running = new Map<string, number>();

  constructor(readonly limit: number) {}

  /** Takes one of the user's slots: its release (safe to call more than once), or undefined when all are taken. */
  take(userId: string): (() => void) | undefined {
    const count = this.running.get(userId) ?? 0;
    if (count >= this.limit) return undefined;
    this.running.set(userId, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.running.get(userId) ?? 1) - 1;
      if (left > 0) this.running.set(userId, left);
      else this.running.delete(userId);
    };
  }
}
