/** A date range as running-totals segments: whole months as month rows, the ends as day rows. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysInMonth, MAX_DATE, MIN_DATE } from '../src/calendar/dates.js';
import { segmentsOf, type Segment } from '../src/modules/ledger/total-ranges.js';

/** Every day a segment's totals rows count. */
function daysOf(segment: Segment): string[] {
  const days: string[] = [];
  if (segment.grain === 'day') {
    for (let day = segment.first; day <= segment.last; day = addDays(day, 1)) {
      days.push(day);
      if (day === MAX_DATE) break;
    }
    return days;
  }
  let month = segment.first;
  while (month <= segment.last) {
    const [year, number] = month.split('-').map(Number) as [number, number];
    for (let day = 1; day <= daysInMonth(year, number); day++) {
      days.push(`${month.slice(0, 8)}${String(day).padStart(2, '0')}`);
    }
    month =
      number === 12
        ? `${String(year + 1).padStart(4, '0')}-01-01`
        : `${month.slice(0, 5)}${String(number + 1).padStart(2, '0')}-01`;
  }
  return days;
}

const day = (base: string, span: number) => fc.integer({ min: 0, max: span }).map((n) => addDays(base, n));

describe('segmentsOf', () => {
  it('covers exactly the days of the range, each once, with at most one month segment and 60 days', () => {
    fc.assert(
      fc.property(day('2023-11-20', 900), fc.integer({ min: 0, max: 800 }), (from, length) => {
        const to = addDays(from, length);
        const segments = segmentsOf(from, to);
        const expected: string[] = [];
        for (let d = from; d <= to; d = addDays(d, 1)) expected.push(d);
        expect(segments.flatMap(daysOf)).toEqual(expected);
        expect(segments.filter((s) => s.grain === 'month').length).toBeLessThanOrEqual(1);
        expect(segments.filter((s) => s.grain === 'day').flatMap(daysOf).length).toBeLessThanOrEqual(60);
      }),
      { seed: 20261202, numRuns: 300 },
    );
  });

  it('holds at the ends of the supported range', () => {
    expect(segmentsOf(MIN_DATE, MAX_DATE)).toEqual([{ grain: 'month', first: MIN_DATE, last: '9999-12-01' }]);
    expect(segmentsOf('9999-12-15', MAX_DATE)).toEqual([
      { grain: 'day', first: '9999-12-15', last: MAX_DATE },
    ]);
    expect(segmentsOf(MIN_DATE, '1900-01-05')).toEqual([
      { grain: 'day', first: MIN_DATE, last: '1900-01-05' },
    ]);
    expect(segmentsOf('1900-01-02', '1900-03-01')).toEqual([
      { grain: 'day', first: '1900-01-02', last: '1900-01-31' },
      { grain: 'month', first: '1900-02-01', last: '1900-02-01' },
      { grain: 'day', first: '1900-03-01', last: '1900-03-01' },
    ]);
  });
});
