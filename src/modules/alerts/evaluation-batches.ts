import type { SpendingChange } from './alert-evaluation.js';

/** Evaluates committed expense changes against the budgets as of `version` (none: load them). */
export type Evaluate = (changes: SpendingChange[], version: string | undefined) => Promise<void>;

interface Batch {
  changes: Map<string, SpendingChange>;
  version: string | undefined;
  done: Promise<void>;
}

/**
 * One server's post-commit alert evaluations, at most one running per user. Expenses committed
 * while a user's evaluation runs join the next one, which starts when it ends: that one reads
 * after every write it carries has committed, so it sees what each of them would have seen
 * alone, and a user writing from several connections at once pays one evaluation per batch
 * instead of one per write. Each caller's promise settles when the evaluation carrying its
 * changes has ended. Only users with an evaluation running or waiting are held.
 */
export class EvaluationBatches {
  /** Per user, the batch waiting for the running evaluation to end (at most one). */
  private readonly waiting = new Map<string, Batch>();
  /** Per user, the last evaluation started or waiting. */
  private readonly last = new Map<string, Promise<void>>();

  join(
    userId: string,
    changes: SpendingChange[],
    version: string | undefined,
    evaluate: Evaluate,
  ): Promise<void> {
    const waiting = this.waiting.get(userId);
    if (waiting) {
      add(waiting, changes, version);
      return waiting.done;
    }
    const batch: Batch = { changes: new Map(), version, done: Promise.resolve() };
    add(batch, changes, version);
    const previous = this.last.get(userId) ?? Promise.resolve();
    this.waiting.set(userId, batch);
    batch.done = previous.then(() => {
      this.waiting.delete(userId);
      return evaluate([...batch.changes.values()], batch.version).catch(() => undefined);
    });
    this.last.set(userId, batch.done);
    void batch.done.then(() => {
      if (this.last.get(userId) === batch.done) this.last.delete(userId);
    });
    return batch.done;
  }
}

/** Adds changes to a batch; its version is the newest asked for (none, the load, wins). */
function add(batch: Batch, changes: SpendingChange[], version: string | undefined): void {
  for (const change of changes) {
    batch.changes.set(`${change.type} ${change.date} ${change.categoryId}`, change);
  }
  if (batch.version === undefined || version === undefined) batch.version = undefined;
  else if (BigInt(version) > BigInt(batch.version)) batch.version = version;
}
