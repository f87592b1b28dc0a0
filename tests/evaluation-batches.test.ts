/**
 * EvaluationBatches (alerts/evaluation-batches.ts): a user's post-commit alert evaluations run
 * one at a time on a server; changes arriving meanwhile are evaluated together by the next one,
 * which starts only after the running one ends; every caller waits for the evaluation carrying
 * its changes.
 */
import { describe, expect, it } from 'vitest';
import type { SpendingChange } from '../src/modules/alerts/alert-evaluation.js';
import { EvaluationBatches } from '../src/modules/alerts/evaluation-batches.js';

const expense = (date: string, categoryId: string | null = null): SpendingChange => ({
  type: 'EXPENSE',
  date,
  categoryId,
});

/** An evaluation the test ends when it chooses, recording what it was given. */
function controlledEvaluations() {
  const runs: { changes: SpendingChange[]; version: string | undefined; end: () => void; ended: boolean }[] =
    [];
  let running = 0;
  let mostAtOnce = 0;
  const evaluate = (changes: SpendingChange[], version: string | undefined) =>
    new Promise<void>((resolve) => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      const run = {
        changes,
        version,
        ended: false,
        end: () => {
          run.ended = true;
          running--;
          resolve();
        },
      };
      runs.push(run);
    });
  return { runs, evaluate, mostAtOnce: () => mostAtOnce };
}

const settled = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('EvaluationBatches', () => {
  it('runs one evaluation per user at a time; what arrives meanwhile is evaluated together next', async () => {
    const batches = new EvaluationBatches();
    const { runs, evaluate, mostAtOnce } = controlledEvaluations();
    const done: string[] = [];
    const track = (name: string, promise: Promise<void>) => promise.then(() => done.push(name));

    const first = track('first', batches.join('u1', [expense('2026-01-05')], '3', evaluate));
    await settled();
    expect(runs).toHaveLength(1);

    // Three writes commit while the first evaluation runs: one batch, after it.
    const second = track('second', batches.join('u1', [expense('2026-02-05', 'c1')], '4', evaluate));
    const third = track('third', batches.join('u1', [expense('2026-02-05', 'c1')], '5', evaluate));
    const fourth = track('fourth', batches.join('u1', [expense('2026-03-01')], '4', evaluate));
    await settled();
    expect(runs, 'the next batch waits for the running evaluation').toHaveLength(1);
    expect(done).toEqual([]);

    runs[0]!.end();
    await first;
    await settled();
    expect(runs).toHaveLength(2);
    expect(done, 'callers of the waiting batch wait for it').toEqual(['first']);
    expect(runs[1]!.changes).toEqual([expense('2026-02-05', 'c1'), expense('2026-03-01')]);
    expect(runs[1]!.version, 'the newest version asked for').toBe('5');

    runs[1]!.end();
    await Promise.all([second, third, fourth]);
    expect(done.slice(1).sort()).toEqual(['fourth', 'second', 'third']);
    expect(mostAtOnce()).toBe(1);
  });

  it('a change asking for a fresh load (no version) makes its batch load', async () => {
    const batches = new EvaluationBatches();
    const { runs, evaluate } = controlledEvaluations();
    const first = batches.join('u1', [expense('2026-01-05')], '3', evaluate);
    await settled();
    const next = [
      batches.join('u1', [expense('2026-01-06')], '9', evaluate),
      batches.join('u1', [expense('2026-01-07')], undefined, evaluate),
    ];
    runs[0]!.end();
    await first;
    await settled();
    expect(runs[1]!.version).toBeUndefined();
    runs[1]!.end();
    await Promise.all(next);
  });

  it('users do not wait for each other, and a failed evaluation does not stop the next', async () => {
    const batches = new EvaluationBatches();
    const { runs, evaluate } = controlledEvaluations();
    const one = batches.join('u1', [expense('2026-01-05')], '1', evaluate);
    const other = batches.join('u2', [expense('2026-01-05')], '1', evaluate);
    await settled();
    expect(runs).toHaveLength(2);
    runs[1]!.end();
    await other;
    expect(runs[0]!.ended).toBe(false);
    runs[0]!.end();
    await one;

    const failing = batches.join('u1', [expense('2026-01-05')], '2', () => Promise.reject(new Error('down')));
    await settled(); // started: what comes now waits for it
    const after = batches.join('u1', [expense('2026-01-06')], '2', evaluate);
    await expect(failing).resolves.toBeUndefined();
    await settled();
    expect(runs).toHaveLength(3);
    runs[2]!.end();
    await after;
  });
});
