/**
 * Schedule math (src/modules/recurring/schedule.ts), pure: month-end clamping like budget
 * periods, every N, until a date or N times, the ends of the supported range, and the index of
 * a date agreeing with a walk through the occurrences.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  indexOnOrAfter,
  occurrenceDate,
  occurrenceIndex,
  occurrencesUpTo,
  type ScheduleRule,
} from '../src/modules/recurring/schedule.js';

const rule = (
  given: Partial<ScheduleRule> & Pick<ScheduleRule, 'frequency' | 'startDate'>,
): ScheduleRule => ({
  interval: 1,
  dayOfMonth: null,
  endDate: null,
  count: null,
  ...given,
});

const dates = (schedule: ScheduleRule, n: number): (string | undefined)[] =>
  Array.from({ length: n }, (_, index) => occurrenceDate(schedule, index));

describe('schedule math', () => {
  it('clamps a monthly 31st to the end of shorter months, Feb 29 in leap years', () => {
    expect(dates(rule({ frequency: 'MONTHLY', startDate: '2024-01-31' }), 5)).toEqual([
      '2024-01-31',
      '2024-02-29',
      '2024-03-31',
      '2024-04-30',
      '2024-05-31',
    ]);
    expect(dates(rule({ frequency: 'MONTHLY', startDate: '2025-01-31' }), 2)).toEqual([
      '2025-01-31',
      '2025-02-28',
    ]);
  });

  it('takes dayOfMonth, starting the next month when that day is before startDate', () => {
    expect(dates(rule({ frequency: 'MONTHLY', startDate: '2026-01-15', dayOfMonth: 31 }), 3)).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
    ]);
    expect(dates(rule({ frequency: 'MONTHLY', startDate: '2026-01-15', dayOfMonth: 5 }), 2)).toEqual([
      '2026-02-05',
      '2026-03-05',
    ]);
  });

  it('steps every N days, weeks, months and years', () => {
    expect(dates(rule({ frequency: 'DAILY', interval: 3, startDate: '2026-02-26' }), 3)).toEqual([
      '2026-02-26',
      '2026-03-01',
      '2026-03-04',
    ]);
    expect(dates(rule({ frequency: 'WEEKLY', interval: 2, startDate: '2026-12-24' }), 3)).toEqual([
      '2026-12-24',
      '2027-01-07',
      '2027-01-21',
    ]);
    expect(dates(rule({ frequency: 'MONTHLY', interval: 3, startDate: '2026-11-30' }), 3)).toEqual([
      '2026-11-30',
      '2027-02-28',
      '2027-05-30',
    ]);
    expect(dates(rule({ frequency: 'YEARLY', startDate: '2024-02-29' }), 5)).toEqual([
      '2024-02-29',
      '2025-02-28',
      '2026-02-28',
      '2027-02-28',
      '2028-02-29',
    ]);
  });

  it('ends after count occurrences, after endDate (inclusive), or at 9999-12-31', () => {
    expect(dates(rule({ frequency: 'DAILY', startDate: '2026-01-01', count: 2 }), 3)).toEqual([
      '2026-01-01',
      '2026-01-02',
      undefined,
    ]);
    expect(dates(rule({ frequency: 'WEEKLY', startDate: '2026-01-01', endDate: '2026-01-15' }), 4)).toEqual([
      '2026-01-01',
      '2026-01-08',
      '2026-01-15',
      undefined,
    ]);
    expect(dates(rule({ frequency: 'YEARLY', startDate: '9998-12-31' }), 3)).toEqual([
      '9998-12-31',
      '9999-12-31',
      undefined,
    ]);
    expect(occurrenceDate(rule({ frequency: 'DAILY', startDate: '2026-01-01' }), 10_000_000)).toBeUndefined();
  });

  it('lists occurrences up to a date, bounded', () => {
    const daily = rule({ frequency: 'DAILY', startDate: '1950-01-01' });
    expect(occurrencesUpTo(daily, 0, '2026-01-01', 500)).toHaveLength(500);
    expect(occurrencesUpTo(daily, 3, '1950-01-05', 500)).toEqual([
      { index: 3, date: '1950-01-04' },
      { index: 4, date: '1950-01-05' },
    ]);
  });

  it('finds the index of any date without walking, agreeing with a walk', () => {
    const schedules = fc.record({
      frequency: fc.constantFrom('DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY' as const),
      interval: fc.integer({ min: 1, max: 13 }),
      startDate: fc
        .integer({ min: 0, max: 40_000 })
        .map((d) => new Date(Date.UTC(1990, 0, 1) + d * 86_400_000).toISOString().slice(0, 10)),
      dayOfMonth: fc.option(fc.integer({ min: 1, max: 31 })),
      endDate: fc.constant(null),
      count: fc.constant(null),
    });
    fc.assert(
      fc.property(schedules, fc.integer({ min: 0, max: 120 }), (given, n) => {
        const schedule = { ...given, dayOfMonth: given.frequency === 'MONTHLY' ? given.dayOfMonth : null };
        const date = occurrenceDate(schedule, n);
        if (date === undefined) return;
        expect(occurrenceIndex(schedule, date)).toBe(n);
        const before = occurrenceDate(schedule, n - 1);
        if (before !== undefined) expect(before < date).toBe(true);
        // The day after the previous occurrence leads to this one.
        if (before !== undefined) {
          const dayAfter = new Date(Date.parse(`${before}T00:00:00Z`) + 86_400_000)
            .toISOString()
            .slice(0, 10);
          expect(indexOnOrAfter(schedule, dayAfter)).toBe(n);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
