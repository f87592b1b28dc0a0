import { isCalendarDate } from '../../../calendar/dates.js';
import { badInput } from '../../../errors/app-error.js';
import { Refusal } from './refusal.js';
import { preview } from './text.js';

/** Reads a date cell as "YYYY-MM-DD"; throws a Refusal for text that is not a supported date. */
export type DateReader = (text: string) => string;

export const DEFAULT_DATE_FORMAT = 'YYYY-MM-DD';

type Part = 'year' | 'year2' | 'month' | 'day';
const TOKENS: ReadonlyArray<[string, Part, number]> = [
  ['YYYY', 'year', 4],
  ['YY', 'year2', 2],
  ['MM', 'month', 2],
  ['M', 'month', 0],
  ['DD', 'day', 2],
  ['D', 'day', 0],
];

/**
 * Two-digit years: 00–69 are 2000–2069, 70–99 are 1970–1999 (the POSIX strptime rule), fixed so
 * the same file always reads the same way.
 */
export const fullYear = (twoDigits: number): number => (twoDigits < 70 ? 2000 + twoDigits : 1900 + twoDigits);

/**
 * A reader for a date format of the tokens YYYY, YY, MM, M, DD and D and separators (any other
 * non-letter, non-digit character), e.g. DD.MM.YYYY, M/D/YY, YYYYMMDD. M and D take one or two
 * digits; MM and DD also take one digit where a separator bounds them (spreadsheets drop the
 * zero), but exactly two where they touch another token (YYYYMMDD). Throws BAD_USER_INPUT on
 * `dateFormat` for a format it cannot read.
 */
export function dateReader(format: string): DateReader {
  const { pattern, order } = compile(format);
  return (text) => {
    const match = pattern.exec(text.trim());
    if (!match) throw new Refusal(`"${preview(text)}" is not a date of the form ${format}`);
    const value = (part: Part) => Number(match[order.indexOf(part) + 1]);
    const year = order.includes('year') ? value('year') : fullYear(value('year2'));
    return calendarDate(year, value('month'), value('day'), text);
  };
}

/** "YYYY-MM-DD" of the parts, refused unless a real date within 1900-01-01..9999-12-31. */
export function calendarDate(year: number, month: number, day: number, text: string): string {
  const date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (!isCalendarDate(date)) throw new Refusal(`"${preview(text)}" is not a real date between 1900 and 9999`);
  return date;
}

function compile(format: string): { pattern: RegExp; order: Part[] } {
  const bad = (why: string) => badInput('dateFormat', `dateFormat "${format}" ${why}`);
  if (format.length === 0 || format.length > 40) throw bad('must be 1 to 40 characters');
  const pieces: Array<{ part: Part; width: number } | string> = [];
  for (let at = 0; at < format.length;) {
    const token = TOKENS.find(([name]) => format.startsWith(name, at));
    if (token) {
      pieces.push({ part: token[1], width: token[2] });
      at += token[0].length;
    } else if (/[\p{L}\p{N}]/u.test(format[at]!)) {
      throw bad(`has "${format[at]}": use the tokens YYYY, YY, MM, M, DD and D with separators`);
    } else {
      pieces.push(format[at]!);
      at += 1;
    }
  }
  const order = pieces.flatMap((piece) => (typeof piece === 'string' ? [] : [piece.part]));
  const years = order.filter((part) => part === 'year' || part === 'year2').length;
  const count = (part: Part) => order.filter((p) => p === part).length;
  if (years !== 1 || count('month') !== 1 || count('day') !== 1) {
    throw bad('needs exactly one year (YYYY or YY), one month (MM or M) and one day (DD or D)');
  }
  const source = pieces.map((piece, index) => {
    if (typeof piece === 'string') return piece.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
    const touches = [pieces[index - 1], pieces[index + 1]].some(
      (next) => next !== undefined && typeof next !== 'string',
    );
    if (piece.width === 0 && touches) throw bad('has M or D right next to another token: use MM or DD there');
    const lenient = piece.width === 0 || (!touches && (piece.part === 'month' || piece.part === 'day'));
    return lenient ? '(\\d{1,2})' : `(\\d{${piece.width}})`;
  });
  return { pattern: new RegExp(`^${source.join('')}$`), order };
}
