/**
 * The tests' own models (tests/helpers/model/), checked against facts known by hand: the other
 * tests trust them to compute what the server must answer, so they must be right first.
 */
import { describe, expect, it } from 'vitest';
import { modelPeriod } from './helpers/model/budget.js';
import {
  addDays,
  addMonths,
  dayNumber,
  fromDayNumber,
  lastOfMonth,
  weekday,
} from './helpers/model/calendar.js';
import { balancesOf } from './helpers/model/ledger.js';
import { cents, money, moneyInput } from './helpers/model/money.js';

describe('calendar', () => {
  it('agrees with known dates and weekdays', () => {
    expect(fromDayNumber(0)).toBe('1970-01-01');
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(weekday('1970-01-01')).toBe(3); // Thursday
    expect(weekday('2024-01-01')).toBe(0); // Monday
    expect(weekday('2024-02-29')).toBe(3); // Thursday
    expect(weekday('2000-01-01')).toBe(5); // Saturday
    expect(weekday('2026-11-30')).toBe(0); // Monday
    expect(weekday('2026-11-25')).toBe(2); // Wednesday
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('1900-02-28', 1)).toBe('1900-03-01');
    expect(addDays('2000-02-28', 1)).toBe('2000-02-29');
    expect(addDays('2100-02-28', 1)).toBe('2100-03-01');
    expect(addDays('2023-12-31', 1)).toBe('2024-01-01');
    expect(dayNumber('2025-01-01') - dayNumber('2024-01-01')).toBe(366);
    expect(addMonths('2023-12-01', 1)).toBe('2024-01-01');
    expect(lastOfMonth('2024-02-10')).toBe('2024-02-29');
  });

  it('round-trips day numbers from before 1900 to after 9999', () => {
    for (let n = -700_000; n < 3_000_000; n += 997) expect(dayNumber(fromDayNumber(n))).toBe(n);
  });

  it('refuses what is not a calendar date', () => {
    for (const date of ['2023-02-29', '2025-04-31', '2025-13-01', '2025-1-05', '']) {
      expect(() => dayNumber(date), date).toThrow();
    }
  });
});

describe('budget periods', () => {
  it('computes the rule examples', () => {
    expect(modelPeriod('MONTHLY', '2025-01-31', '2025-02-28')).toEqual({
      start: '2025-02-28',
      end: '2025-03-30',
    });
    expect(modelPeriod('MONTHLY', '2024-01-31', '2024-02-29')).toEqual({
      start: '2024-02-29',
      end: '2024-03-30',
    });
    expect(modelPeriod('MONTHLY', '2025-01-31', '2025-04-30')).toEqual({
      start: '2025-04-30',
      end: '2025-05-30',
    });
    expect(modelPeriod('YEARLY', '2024-02-29', '2025-03-01')).toEqual({
      start: '2025-02-28',
      end: '2026-02-27',
    });
    expect(modelPeriod('WEEKLY', '2026-11-04', '2026-11-30')).toEqual({
      start: '2026-11-25',
      end: '2026-12-01',
    });
  });
});

describe('money', () => {
  it('reads and writes cents', () => {
    expect(money(cents('-0.05'))).toBe('-0.05');
    expect(cents('12.3')).toBe(1230n);
    expect(cents('12')).toBe(1200n);
    expect(money(-350n)).toBe('-3.50');
    expect(moneyInput(1230n, 2)).toBe('12.3');
    expect(moneyInput(1200n, 1)).toBe('12');
    for (const bad of ['1.005', '1e3', ' 1', '', '.5']) expect(() => cents(bad), bad).toThrow();
  });
});

describe('ledger', () => {
  it('adds income, takes expenses, and moves transfers', () => {
    const balances = balancesOf(
      new Map([
        ['a', 1000n],
        ['b', 0n],
      ]),
      [
        { type: 'INCOME', amount: 50n, accountId: 'a', transferAccountId: null },
        { type: 'EXPENSE', amount: 20n, accountId: 'b', transferAccountId: null },
        { type: 'TRANSFER', amount: 300n, accountId: 'a', transferAccountId: 'b' },
      ],
    );
    expect(balances).toEqual(
      new Map([
        ['a', 750n],
        ['b', 280n],
      ]),
    );
  });
});
