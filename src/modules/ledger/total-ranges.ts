import { addDays, daysInMonth, monthStart, nextMonthStart } from '../../calendar/dates.js';
import type { SqlParams } from '../../db/sql-params.js';
import type { Grain } from './totals.js';

/**
 * How reads turn date ranges into ledger_totals rows: a range is the whole months inside it
 * (month rows) plus the days before the first and after the last of them (day rows), so any
 * range costs at most 60 day rows and one row per month, per account, category and type.
 */

/** Totals rows of one grain whose `starts` lies in [first, last]. */
export interface Segment {
  grain: Grain;
  first: string;
  last: string;
}

const isMonthEnd = (date: string): boolean => {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return day === daysInMonth(year, month);
};

/** The segments whose totals add up to those of the days from..to (inclusive). */
export function segmentsOf(from: string, to: string): Segment[] {
  const firstFull = from.endsWith('-01') ? from : nextMonthStart(from);
  const lastFullEnd = isMonthEnd(to) ? to : addDays(monthStart(to), -1);
  if (firstFull === undefined || firstFull > lastFullEnd) {
    return [{ grain: 'day', first: from, last: to }];
  }
  const segments: Segment[] = [];
  if (from < firstFull) segments.push({ grain: 'day', first: from, last: addDays(firstFull, -1) });
  segments.push({ grain: 'month', first: firstFull, last: monthStart(lastFullEnd) });
  if (lastFullEnd < to) segments.push({ grain: 'day', first: addDays(lastFullEnd, 1), last: to });
  return segments;
}

/** A numbered date range of a read: its totals are summed as one group (`s.idx`). */
export interface NumberedRange {
  from: string;
  to: string;
}

/** The segments of each range as four parallel arrays, numbered by the range's index (1-based). */
export function segmentArrays(ranges: NumberedRange[]): {
  idx: number[];
  grain: Grain[];
  first: string[];
  last: string[];
} {
  const rows = ranges.flatMap((range, index) =>
    segmentsOf(range.from, range.to).map((segment) => ({ idx: index + 1, ...segment })),
  );
  return {
    idx: rows.map((row) => row.idx),
    grain: rows.map((row) => row.grain),
    first: rows.map((row) => row.first),
    last: rows.map((row) => row.last),
  };
}

/**
 * A FROM item `s(idx, grain, first_start, last_start)`: the segments of each range (segmentArrays)
 * as four array parameters whatever the number of ranges. Join segmentSums to it.
 */
export function segmentTable(ranges: NumberedRange[], params: SqlParams): string {
  const { idx, grain, first, last } = segmentArrays(ranges);
  // Placeholders bind in the order they appear, so the columns are added in that order.
  return `unnest(${params.simpleArray(idx, 'int')}, ${params.simpleArray(grain, 'text')}, ${params.simpleArray(first, 'date')}, ${params.simpleArray(last, 'date')})
    as s(idx, grain, first_start, last_start)`;
}

/**
 * A LATERAL subquery summing the user's totals (`lt`) of segment `s` that match `where`: one
 * row per value of `keys` (or one row), with `amount` and `count`. Use as
 * `left join ${segmentSums(…)} as sums on true`. Being an aggregate, it is planned per segment
 * as an index range scan; a plain join would let the planner scan and hash all of the user's
 * totals, whose number grows with history.
 */
export function segmentSums(
  userId: string,
  params: SqlParams,
  where: (params: SqlParams) => string,
  keys: string[] = [],
): string {
  const keyList = keys.map((key) => `lt.${key}`).join(', ');
  return `lateral (
    select ${keys.length ? `${keyList}, ` : ''}sum(lt.amount) as amount, sum(lt.count)::bigint as count
    from ledger_totals lt
    where lt.user_id = ${params.add(userId)}::uuid and lt.grain = s.grain
      and lt.starts between s.first_start and s.last_start and ${where(params)}
    ${keys.length ? `group by ${keyList}` : ''}
  )`;
}
