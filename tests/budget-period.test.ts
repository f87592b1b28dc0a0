/**
 * Budget periods: property tests on the pure functions of src/modules/budgets/period.ts.
 *
 * The rules (contract, Budget.startDate): WEEKLY periods start on startDate's weekday; MONTHLY on
 * its day of month, or on the month's last day when the month is shorter (day 31: 28/29 Feb,
 * 30 Apr); YEARLY on its month and day (29 Feb: 28 Feb in other years). A period ends the day
 * before the next one starts.
 *
 * The calendar used to check them is the tests' own (tests/helpers/model/calendar.ts: days since
 * 1970-01-01 by Hinnant's days-from-civil algorithm, no Date objects), and "is this day a period
 * start" is decided from the rule alone (tests/helpers/model/budget.ts). With that predicate a period is fully characterised: its start is a start, the
 * day after its end is a start, and no day in between is one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  nextPeriod,
  periodContaining,
  periodsSinceAnchor,
  previousPeriod,
  recentPeriods,
  type Period,
  type PeriodKind,
} from '../src/modules/budgets/period.js';
import { isPeriodStart } from './helpers/model/budget.js';
import {
  civilToDays,
  dayNumber,
  daysInMonth,
  formatDate,
  fromDayNumber,
  isLeap,
  parseDate,
  weekday,
} from './helpers/model/calendar.js';

const SEED = 20261130;

const LENGTH: Record<PeriodKind, [number, number]> = {
  WEEKLY: [7, 7],
  MONTHLY: [28, 31],
  YEARLY: [365, 366],
};

/**
 * A period is right for the rule when: both ends are dates, its start is a start, no day after
 * the start up to and including its end is one, and the day after its end is one.
 */
function expectWellFormed(kind: PeriodKind, anchor: string, period: Period): void {
  const context = `${kind} ${anchor} ${JSON.stringify(period)}`;
  const start = dayNumber(period.start);
  const end = dayNumber(period.end);
  expect(isPeriodStart(kind, anchor, period.start), `${context}: start matches the rule`).toBe(true);
  expect(
    isPeriodStart(kind, anchor, fromDayNumber(end + 1)),
    `${context}: the day after the end is a start`,
  ).toBe(true);
  for (let n = start + 1; n <= end; n++) {
    if (isPeriodStart(kind, anchor, fromDayNumber(n))) {
      expect.fail(`${context}: ${fromDayNumber(n)} starts a period but lies inside this one`);
    }
  }
  const length = end - start + 1;
  expect(length, `${context}: length`).toBeGreaterThanOrEqual(LENGTH[kind][0]);
  expect(length, `${context}: length`).toBeLessThanOrEqual(LENGTH[kind][1]);
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

const MIN_DAY = civilToDays({ y: 1990, m: 1, d: 1 });
const MAX_DAY = civilToDays({ y: 2100, m: 12, d: 31 });

const kindArb = fc.constantFrom<PeriodKind>('WEEKLY', 'MONTHLY', 'YEARLY');
const anyDate = fc.integer({ min: MIN_DAY, max: MAX_DAY }).map(fromDayNumber);
/** Days 28..31 (the clamping cases), in any month where they exist. */
const lateDay = fc
  .record({
    y: fc.integer({ min: 1990, max: 2100 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 28, max: 31 }),
  })
  .filter(({ y, m, d }) => d <= daysInMonth(y, m))
  .map(formatDate);
const feb29 = fc
  .integer({ min: 1990, max: 2100 })
  .filter(isLeap)
  .map((y) => `${y}-02-29`);
const anchorArb = fc.oneof(
  { weight: 2, arbitrary: anyDate },
  { weight: 2, arbitrary: lateDay },
  { weight: 1, arbitrary: feb29 },
);
/** Dates to compute a period for: anywhere, or late in a month, or a 28/29 Feb. */
const targetArb = fc.oneof(
  { weight: 3, arbitrary: anyDate },
  { weight: 1, arbitrary: lateDay },
  { weight: 1, arbitrary: fc.integer({ min: 1990, max: 2100 }).map((y) => `${y}-02-${isLeap(y) ? 29 : 28}`) },
);

const RUNS = { seed: SEED, numRuns: 400 };

// ---------------------------------------------------------------------------------------------

describe('the test calendar itself', () => {
  it('agrees with a few known dates and weekdays', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(fromDayNumber(dayNumber('2000-02-29') + 1)).toBe('2000-03-01');
    expect(fromDayNumber(dayNumber('2100-02-28') + 1)).toBe('2100-03-01');
    expect(weekday('2026-11-30')).toBe(0); // a Monday
    expect(weekday('2026-11-25')).toBe(2); // a Wednesday
    for (let n = MIN_DAY - 400; n <= MAX_DAY + 400; n += 37) expect(dayNumber(fromDayNumber(n))).toBe(n);
  });
});

describe('periodContaining', () => {
  it('returns the period of the rule that contains the date', () => {
    fc.assert(
      fc.property(kindArb, anchorArb, targetArb, (kind, anchor, date) => {
        const period = periodContaining(kind, anchor, date);
        expect(dayNumber(period.start)).toBeLessThanOrEqual(dayNumber(date));
        expect(dayNumber(period.end)).toBeGreaterThanOrEqual(dayNumber(date));
        expectWellFormed(kind, anchor, period);
      }),
      RUNS,
    );
  });

  it('starts a period on the anchor itself', () => {
    fc.assert(
      fc.property(kindArb, anchorArb, (kind, anchor) => {
        expect(periodContaining(kind, anchor, anchor).start).toBe(anchor);
      }),
      RUNS,
    );
  });

  it('is idempotent: any date inside a period gives that same period', () => {
    fc.assert(
      fc.property(kindArb, anchorArb, targetArb, fc.nat(), (kind, anchor, date, pick) => {
        const period = periodContaining(kind, anchor, date);
        const start = dayNumber(period.start);
        const length = dayNumber(period.end) - start + 1;
        for (const inside of [period.start, period.end, fromDayNumber(start + (pick % length))]) {
          expect(periodContaining(kind, anchor, inside), `from ${inside}`).toEqual(period);
        }
        expect(periodContaining(kind, anchor, fromDayNumber(start - 1)).end).toBe(fromDayNumber(start - 1));
        expect(periodContaining(kind, anchor, fromDayNumber(dayNumber(period.end) + 1)).start).toBe(
          fromDayNumber(dayNumber(period.end) + 1),
        );
      }),
      RUNS,
    );
  });
});

describe('consecutive periods', () => {
  const STEPS: Record<PeriodKind, number> = { WEEKLY: 60, MONTHLY: 40, YEARLY: 12 };

  it('tile time walking forward and backward: no gap, no overlap, every start on the rule', () => {
    fc.assert(
      fc.property(kindArb, anchorArb, targetArb, (kind, anchor, date) => {
        const origin = periodContaining(kind, anchor, date);
        let current = origin;
        for (let i = 0; i < STEPS[kind]; i++) {
          const next = nextPeriod(kind, anchor, current)!;
          expect(dayNumber(next.start), `after ${JSON.stringify(current)}`).toBe(dayNumber(current.end) + 1);
          expectWellFormed(kind, anchor, next);
          current = next;
        }
        current = origin;
        for (let i = 0; i < STEPS[kind]; i++) {
          const previous = previousPeriod(kind, anchor, current)!;
          expect(dayNumber(previous.end), `before ${JSON.stringify(current)}`).toBe(
            dayNumber(current.start) - 1,
          );
          expectWellFormed(kind, anchor, previous);
          current = previous;
        }
      }),
      { ...RUNS, numRuns: 150 },
    );
  });

  it('MONTHLY starts fall in consecutive months, YEARLY in consecutive years, in the anchor month', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<PeriodKind>('MONTHLY', 'YEARLY'),
        anchorArb,
        targetArb,
        (kind, anchor, date) => {
          let current = periodContaining(kind, anchor, date);
          for (let i = 0; i < 30; i++) {
            const next = nextPeriod(kind, anchor, current)!;
            const a = parseDate(current.start);
            const b = parseDate(next.start);
            if (kind === 'MONTHLY') {
              expect(b.y * 12 + b.m).toBe(a.y * 12 + a.m + 1);
              expect(b.d).toBe(Math.min(parseDate(anchor).d, daysInMonth(b.y, b.m)));
            } else {
              expect(b.y).toBe(a.y + 1);
              expect(b.m).toBe(parseDate(anchor).m);
            }
            current = next;
          }
        },
      ),
      RUNS,
    );
  });

  it('recentPeriods: count consecutive periods, newest first, the first containing the date', () => {
    fc.assert(
      fc.property(
        kindArb,
        anchorArb,
        targetArb,
        fc.integer({ min: 1, max: 36 }),
        (kind, anchor, date, count) => {
          const periods = recentPeriods(kind, anchor, date, count);
          expect(periods).toHaveLength(count);
          expect(periods[0]).toEqual(periodContaining(kind, anchor, date));
          for (let i = 1; i < periods.length; i++) {
            expect(dayNumber(periods[i]!.end)).toBe(dayNumber(periods[i - 1]!.start) - 1);
            expectWellFormed(kind, anchor, periods[i]!);
          }
        },
      ),
      RUNS,
    );
  });

  it('periodsSinceAnchor counts the periods walked from the one containing the anchor (0 before it)', () => {
    fc.assert(
      fc.property(kindArb, anchorArb, (kind, anchor) => {
        const first = periodContaining(kind, anchor, anchor);
        let current = first;
        for (let k = 0; k <= STEPS[kind]; k++) {
          expect(periodsSinceAnchor(kind, anchor, current), `${k} periods after ${anchor}`).toBe(k);
          current = nextPeriod(kind, anchor, current)!;
        }
        current = first;
        for (let k = 0; k < 5; k++) {
          current = previousPeriod(kind, anchor, current)!;
          expect(periodsSinceAnchor(kind, anchor, current)).toBe(0);
        }
      }),
      { ...RUNS, numRuns: 150 },
    );
  });
});

describe('at the ends of the supported date range (1900-01-01..9999-12-31)', () => {
  const FIRST = dayNumber('1900-01-01');
  const LAST = dayNumber('9999-12-31');
  const inRange = (from: string, to: string) =>
    fc.integer({ min: dayNumber(from), max: dayNumber(to) }).map(fromDayNumber);
  /** Anchors anywhere, and dates within two years of either end (where periods get cut). */
  const anchorAnywhere = fc.oneof(
    anchorArb,
    inRange('1900-01-01', '9999-12-31'),
    inRange('9998-01-01', '9999-12-31'),
  );
  const nearAnEnd = fc.oneof(inRange('1900-01-01', '1901-12-31'), inRange('9998-01-01', '9999-12-31'));

  /** The period of the rule containing the date, found day by day, then cut to the range. */
  function expectedPeriod(kind: PeriodKind, anchor: string, date: string): Period {
    let start = dayNumber(date);
    while (!isPeriodStart(kind, anchor, fromDayNumber(start))) start--;
    let end = dayNumber(date);
    while (!isPeriodStart(kind, anchor, fromDayNumber(end + 1))) end++;
    return { start: fromDayNumber(Math.max(start, FIRST)), end: fromDayNumber(Math.min(end, LAST)) };
  }

  /** A period inside the range is a whole period of the rule; one at an end is a cut one. */
  function expectWellFormedInside(kind: PeriodKind, anchor: string, period: Period): void {
    if (period.start === '1900-01-01' || period.end === '9999-12-31') {
      expect(period).toEqual(expectedPeriod(kind, anchor, period.start));
    } else expectWellFormed(kind, anchor, period);
  }

  it("periodContaining is the rule's period cut to the range, never a date outside it", () => {
    fc.assert(
      fc.property(kindArb, anchorAnywhere, nearAnEnd, (kind, anchor, date) => {
        const period = periodContaining(kind, anchor, date);
        expect(period, `${kind} ${anchor} ${date}`).toEqual(expectedPeriod(kind, anchor, date));
        expect(period.start >= '1900-01-01' && period.end <= '9999-12-31').toBe(true);
      }),
      RUNS,
    );
  });

  it('walking forward ends with a period ending 9999-12-31; walking back with one starting 1900-01-01', () => {
    fc.assert(
      fc.property(kindArb, anchorAnywhere, nearAnEnd, (kind, anchor, date) => {
        let current = periodContaining(kind, anchor, date);
        const step = date > '5000' ? nextPeriod : previousPeriod;
        for (let next = step(kind, anchor, current); next; next = step(kind, anchor, current)) {
          const [earlier, later] = step === nextPeriod ? [current, next] : [next, current];
          expect(dayNumber(later.start)).toBe(dayNumber(earlier.end) + 1);
          expectWellFormedInside(kind, anchor, next);
          current = next;
        }
        if (step === nextPeriod) expect(current.end).toBe('9999-12-31');
        else expect(current.start).toBe('1900-01-01');
      }),
      RUNS,
    );
  });

  it('recentPeriods stops at the first period of the range', () => {
    const periods = recentPeriods('MONTHLY', '2026-01-15', '1900-03-20', 36);
    expect(periods).toEqual([
      { start: '1900-03-15', end: '1900-04-14' },
      { start: '1900-02-15', end: '1900-03-14' },
      { start: '1900-01-15', end: '1900-02-14' },
      { start: '1900-01-01', end: '1900-01-14' },
    ]);
  });

  it('explicit: the last and first periods are cut', () => {
    expect(periodContaining('YEARLY', '2000-06-01', '9999-12-31')).toEqual({
      start: '9999-06-01',
      end: '9999-12-31',
    });
    expect(periodContaining('MONTHLY', '2026-01-15', '9999-12-31')).toEqual({
      start: '9999-12-15',
      end: '9999-12-31',
    });
    // 9999-12-31 is a Friday; a week from Wednesday runs to Tuesday 10000-01-04, cut to Friday.
    expect(periodContaining('WEEKLY', '2026-11-04', '9999-12-31')).toEqual({
      start: '9999-12-29',
      end: '9999-12-31',
    });
    expect(periodContaining('MONTHLY', '2026-01-15', '1900-01-01')).toEqual({
      start: '1900-01-01',
      end: '1900-01-14',
    });
    expect(periodContaining('YEARLY', '2024-02-29', '1900-02-27')).toEqual({
      start: '1900-01-01',
      end: '1900-02-27',
    });
    expect(nextPeriod('YEARLY', '2000-06-01', { start: '9999-06-01', end: '9999-12-31' })).toBeUndefined();
    expect(
      previousPeriod('MONTHLY', '2026-01-15', { start: '1900-01-01', end: '1900-01-14' }),
    ).toBeUndefined();
  });
});

describe('explicit examples from the rules', () => {
  const p = (start: string, end: string): Period => ({ start, end });

  it('MONTHLY from day 31: 28 Feb, 29 Feb in a leap year, 30 Apr', () => {
    expect(periodContaining('MONTHLY', '2025-01-31', '2025-02-15')).toEqual(p('2025-01-31', '2025-02-27'));
    expect(periodContaining('MONTHLY', '2025-01-31', '2025-02-28')).toEqual(p('2025-02-28', '2025-03-30'));
    expect(periodContaining('MONTHLY', '2024-01-31', '2024-02-29')).toEqual(p('2024-02-29', '2024-03-30'));
    expect(periodContaining('MONTHLY', '2024-01-31', '2024-02-28')).toEqual(p('2024-01-31', '2024-02-28'));
    expect(periodContaining('MONTHLY', '2025-01-31', '2025-04-29')).toEqual(p('2025-03-31', '2025-04-29'));
    expect(periodContaining('MONTHLY', '2025-01-31', '2025-04-30')).toEqual(p('2025-04-30', '2025-05-30'));
    expect(periodContaining('MONTHLY', '2025-01-31', '2025-12-31')).toEqual(p('2025-12-31', '2026-01-30'));
  });

  it('MONTHLY from day 30 and 29', () => {
    expect(periodContaining('MONTHLY', '2025-01-30', '2025-03-01')).toEqual(p('2025-02-28', '2025-03-29'));
    expect(periodContaining('MONTHLY', '2023-01-29', '2023-03-01')).toEqual(p('2023-02-28', '2023-03-28'));
    expect(periodContaining('MONTHLY', '2023-01-29', '2024-02-29')).toEqual(p('2024-02-29', '2024-03-28'));
  });

  it('YEARLY from 29 Feb: 28 Feb in other years', () => {
    expect(periodContaining('YEARLY', '2024-02-29', '2024-06-01')).toEqual(p('2024-02-29', '2025-02-27'));
    expect(periodContaining('YEARLY', '2024-02-29', '2025-02-28')).toEqual(p('2025-02-28', '2026-02-27'));
    expect(periodContaining('YEARLY', '2024-02-29', '2028-02-28')).toEqual(p('2027-02-28', '2028-02-28'));
    expect(periodContaining('YEARLY', '2024-02-29', '2028-02-29')).toEqual(p('2028-02-29', '2029-02-27'));
    expect(periodContaining('YEARLY', '2024-02-29', '2100-03-01')).toEqual(p('2100-02-28', '2101-02-27'));
  });

  it('WEEKLY from a Wednesday', () => {
    // 2026-11-04 is a Wednesday.
    expect(periodContaining('WEEKLY', '2026-11-04', '2026-11-30')).toEqual(p('2026-11-25', '2026-12-01'));
    expect(periodContaining('WEEKLY', '2026-11-04', '2026-11-25')).toEqual(p('2026-11-25', '2026-12-01'));
    expect(periodContaining('WEEKLY', '2026-11-04', '2026-11-24')).toEqual(p('2026-11-18', '2026-11-24'));
    expect(periodContaining('WEEKLY', '2026-11-04', '2026-10-01')).toEqual(p('2026-09-30', '2026-10-06'));
    expect(periodContaining('WEEKLY', '2026-11-04', '2027-01-01')).toEqual(p('2026-12-30', '2027-01-05'));
  });
});
