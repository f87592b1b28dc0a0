import { materializeDue, type MaterializeDeps, type TickResult } from './materialize.js';

/**
 * Each server instance's ticker: once at start (after the migrations) and then every
 * RECURRING_TICK_MS, it materializes the due occurrences (materializeDue), at most
 * RECURRING_TICK_LIMIT per tick. Every instance ticks; the database decides which one writes an
 * occurrence, once. One tick at a time per instance: a tick asked for while one runs is that one.
 */
export class RecurringTicker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<TickResult> | undefined;
  private closed = false;

  constructor(
    private readonly deps: MaterializeDeps,
    private readonly settings: { tickMs: number; limit: number },
  ) {}

  /** Ticks now and then every tickMs; tickMs 0: never (another instance ticks). */
  start(): void {
    if (this.settings.tickMs === 0) return;
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.settings.tickMs);
    this.timer.unref();
  }

  /** One tick (or the one running); never throws: a failure is logged, the next tick retries. */
  tick(): Promise<TickResult> {
    if (this.closed) return Promise.resolve({ materialized: 0, passed: 0, failed: 0 });
    this.running ??= materializeDue(this.deps, { limit: this.settings.limit })
      .catch((error: unknown) => {
        this.deps.log.warn({ err: error }, 'the recurring transactions tick failed');
        return { materialized: 0, passed: 0, failed: 0 };
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** No more ticks; waits for the one running, so the database can close after it. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.running;
  }
}
