/**
 * Budget periods: property tests on the pure functions of src/modules/budgets/period.ts.
 *
 * The rules (contract, Budget.startDate): WEEKLY periods start on startDate's weekday; MONTHLY on
 * its day of month, or on the month's last day when the month is shorter (day 31: 28/29 Feb,
 * 30 Apr); YEARLY on its month and day (29 Feb: 28 Feb in other years). A period ends the day
 * before the next one starts.
 *
 * The calendar used to check them is the test's own (days since 1970-01-01 by Hinnant's
 * days-from-civil algorithm, no Date objects), and "is this day a period start" is decided from
 * the rule alone. With that predicate a period is fully characterised: its start is a start, the
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

const SEED = 20261130;

// ---------------------------------------------------------------------------------------------
// The test's own calendar

interface Ymd {
  y: number;
  m: number;
  d: number;
}

const isLeap = (y: number): boolean => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);

function monthLength(y: number, m: number): number {
  if (m === 2) return isLeap(y) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, days_from_civil). */
function dayNumber({ y, m, d }: Ymd): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The inverse of dayNumber (civil_from_days). */
function civil(n: number): Ymd {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const fmt = ({ y, m, d }: Ymd): string => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

function ymd(date: string): Ymd {
  const match = /^(\d{4,5})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  const value = { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
  if (value.m < 1 || value.m > 12 || value.d < 1 || value.d > monthLength(value.y, value.m)) {
    throw new Error(`not a calendar date: ${date}`);
  }
  return value;
}

const day = (date: string): number => dayNumber(ymd(date));
const dateOf = (n: number): string => fmt(civil(n));
/** 0 = Sunday; 1970-01-01 was a Thursday. */
const weekday = (n: number): number => (((n + 4) % 7) + 7) % 7;

/** Whether `date` starts a period of a budget of this kind and anchor, from the rule alone. */
function isStart(kind: PeriodKind, anchor: string, date: string): boolean {
  const a = ymd(anchor);
  const t = ymd(date);
  switch (kind) {
    case 'WEEKLY':
      return weekday(day(date)) === weekday(day(anchor));
    case 'MONTHLY':
      return t.d === Math.min(a.d, monthLength(t.y, t.m));
    case 'YEARLY':
      return t.m === a.m && t.d === Math.min(a.d, monthLength(t.y, a.m));
  }
}

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
  const start = day(period.start);
  const end = day(period.end);
  expect(isStart(kind, anchor, period.start), `${context}: start matches the rule`).toBe(true);
  expect(isStart(kind, anchor, dateOf(end + 1)), `${context}: the day after the end is a start`).toBe(true);
  for (let n = start + 1; n <= end; n++) {
    if (isStart(kind, anchor, dateOf(n))) {
      expect.fail(`${context}: ${dateOf(n)} starts a period but lies inside this one`);
    }
  }
  const length = end - start + 1;
  expect(length, `${context}: length`).toBeGreaterThanOrEqual(LENGTH[kind][0]);
  expect(length, `${context}: length`).toBeLessThanOrEqual(LENGTH[kind][1]);
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

const MIN_DAY = dayNumber({ y: 1990, m: 1, d: 1 });
const MAX_DAY = dayNumber({ y: 2100, m: 12, d: 31 });

const kindArb = fc.constantFrom<PeriodKind>('WEEKLY', 'MONTHLY', 'YEARLY');
const anyDate = fc.integer({ min: MIN_DAY, max: MAX_DAY }).map(dateOf);
/** Days 28..31 (the clamping cases), in any month where they exist. */
const lateDay = fc
  .record({
    y: fc.integer({ min: 1990, max: 2100 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 28, max: 31 }),
  })
  .filter(({ y, m, d }) => d <= monthLength(y, m))
  .map(fmt);
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
    expect(day('1970-01-01')).toBe(0);
    expect(dateOf(day('2000-02-29') + 1)).toBe('2000-03-01');
    expect(dateOf(day('2100-02-28') + 1)).toBe('2100-03-01');
    expect(weekday(day('2026-11-30'))).toBe(1); // a Monday
    expect(weekday(day('2026-11-25'))).toBe(3); // a Wednesday
    for (let n = MIN_DAY - 400; n <= MAX_DAY + 400; n += 37) expect(day(dateOf(n))).toBe(n);
  });
});

describe('periodContaining', () => {
  it('returns the period of the rule that contains the date', () => {
    fc.assert(
      fc.property(kindArb, anchorArb, targetArb, (kind, anchor, date) => {
        const period = periodContaining(kind, anchor, date);
        expect(day(period.start)).toBeLessThanOrEqual(day(date));
        expect(day(period.end)).toBeGreaterThanOrEqual(day(date));
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
        const start = day(period.start);
        const length = day(period.end) - start + 1;
        for (const inside of [period.start, period.end, dateOf(start + (pick % length))]) {
          expect(periodContaining(kind, anchor, inside), `from ${inside}`).toEqual(period);
        }
        expect(periodContaining(kind, anchor, dateOf(start - 1)).end).toBe(dateOf(start - 1));
        expect(periodContaining(kind, anchor, dateOf(day(period.end) + 1)).start).toBe(
          dateOf(day(period.end) + 1),
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
          expect(day(next.start), `after ${JSON.stringify(current)}`).toBe(day(current.end) + 1);
          expectWellFormed(kind, anchor, next);
          current = next;
        }
        current = origin;
        for (let i = 0; i < STEPS[kind]; i++) {
          const previous = previousPeriod(kind, anchor, current)!;
          expect(day(previous.end), `before ${JSON.stringify(current)}`).toBe(day(current.start) - 1);
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
            const a = ymd(current.start);
            const b = ymd(next.start);
            if (kind === 'MONTHLY') {
              expect(b.y * 12 + b.m).toBe(a.y * 12 + a.m + 1);
              expect(b.d).toBe(Math.min(ymd(anchor).d, monthLength(b.y, b.m)));
            } else {
              expect(b.y).toBe(a.y + 1);
              expect(b.m).toBe(ymd(anchor).m);
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
            expect(day(periods[i]!.end)).toBe(day(periods[i - 1]!.start) - 1);
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
  const FIRST = day('1900-01-01');
  const LAST = day('9999-12-31');
  const inRange = (from: string, to: string) => fc.integer({ min: day(from), max: day(to) }).map(dateOf);
  /** Anchors anywhere, and dates within two years of either end (where periods get cut). */
  const anchorAnywhere = fc.oneof(
    anchorArb,
    inRange('1900-01-01', '9999-12-31'),
    inRange('9998-01-01', '9999-12-31'),
  );
  const nearAnEnd = fc.oneof(inRange('1900-01-01', '1901-12-31'), inRange('9998-01-01', '9999-12-31'));

  /** The period of the rule containing the date, found day by day, then cut to the range. */
  function expectedPeriod(kind: PeriodKind, anchor: string, date: string): Period {
    let start = day(date);
    while (!isStart(kind, anchor, dateOf(start))) start--;
    let end = day(date);
    while (!isStart(kind, anchor, dateOf(end + 1))) end++;
    return { start: dateOf(Math.max(start, FIRST)), end: dateOf(Math.min(end, LAST)) };
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
          expect(day(later.start)).toBe(day(earlier.end) + 1);
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
