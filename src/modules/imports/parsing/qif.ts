import { parseAmount, type DecimalSeparator } from './amounts.js';
import { calendarDate, fullYear, type DateReader } from './dates.js';
import type { TextLine } from './lines.js';
import type { ParsedItem } from './parsed-row.js';
import { cell, fileError, itemOrRefusal, refusedItem, Refusal } from './refusal.js';
import { MAX_DESCRIPTION_LENGTH, MAX_PAYEE_LENGTH, readText } from './text.js';

export interface QifSettings {
  /** A reader for the dateFormat option; null: Quicken's own M/D/YY family. */
  readDate: DateReader | null;
  decimalSeparator: DecimalSeparator;
}

/** Sections holding transactions of a bank-like account. */
const TRANSACTION_TYPES = new Set(['bank', 'cash', 'ccard', 'oth a', 'oth l']);
/** Lists that are not transactions: skipped, with one refused item saying so. */
const OTHER_LISTS: Record<string, string> = {
  cat: 'a list of categories',
  class: 'a list of classes',
  memorized: 'a list of memorized transactions',
  security: 'a list of securities',
  prices: 'a list of prices',
  template: 'a list of budget templates',
};

/**
 * Quicken's date: M/D/YY or M/D/YYYY, and M/D'YY for years from 2000 (1/31'24 is 2024-01-31);
 * Quicken pads with spaces (" 1/ 5'24"); '-' and '.' are taken as separators too. A two-digit
 * year after '/' follows the same 00–69/70–99 rule as the YY token.
 */
const QUICKEN_DATE = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*(?:'\s*(\d{4}|\d{1,2})|[/.-]\s*(\d{4}|\d{2}))$/;

/** Where the lines are: before any header, in transactions, in an !Account block or a skipped list. */
type Section = 'none' | 'transactions' | 'account' | 'skipped';

interface QifRecord {
  line: number;
  fields: Map<string, string>;
}

/**
 * Transactions of a QIF file: !Type:Bank, !Type:CCard, !Type:Cash, !Type:Oth A and !Type:Oth L
 * sections of records ended by "^". D is the date, T (or U) the amount, P the payee, M the
 * memo (the description, falling back to the payee); N (a check number, or words such as ATM
 * or DEP, repeated across rows) is no reliable id, so bankId stays null; L (category), C
 * (cleared), A (address) and split lines (S, E, $, %) are ignored. !Account blocks (the account
 * the following transactions belong to) are skipped; a second account after transactions is a
 * file-level error, as is an investment section (!Type:Invst: buys and sells, not bank rows)
 * or an unknown section. Lists that are not transactions (!Type:Cat, Class, Memorized…) are
 * skipped with one refused item naming the list. A last record missing its "^" is still read.
 */
export async function* parseQif(
  lines: AsyncIterable<TextLine>,
  settings: QifSettings,
): AsyncGenerator<ParsedItem> {
  let section: Section = 'none';
  let record: QifRecord | null = null;
  let transactionsRead = false;
  const finish = function* (): Generator<ParsedItem> {
    if (record && section === 'transactions') {
      const { line, fields } = record;
      transactionsRead = true;
      yield itemOrRefusal(line, () => qifRow(line, fields, settings));
    }
    record = null;
  };
  for await (const { line, text } of lines) {
    const trimmed = text.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('!')) {
      yield* finish();
      const header = trimmed.slice(1).trim().toLowerCase();
      if (header === 'account') {
        if (transactionsRead) {
          throw fileError(
            line,
            '!Account',
            'this file holds more than one account: export and import one at a time',
          );
        }
        section = 'account';
      } else if (header.startsWith('type:')) {
        const type = header.slice('type:'.length).trim();
        section = typeSection(type, trimmed, line);
        if (section === 'skipped') yield skippedList(type, trimmed, line);
      }
      // Other "!" lines (!Option:AutoSwitch, !Clear:AutoSwitch) only steer Quicken's own import.
      continue;
    }
    if (section === 'none') {
      throw fileError(
        line,
        null,
        'this is not a QIF file: a QIF file starts with a !Type: line such as !Type:Bank',
      );
    }
    if (trimmed === '^') {
      yield* finish();
      continue;
    }
    if (section !== 'transactions') continue;
    record ??= { line, fields: new Map() };
    const code = trimmed[0]!;
    // The first value of a code counts: split lines repeat codes S, E and $, which are ignored.
    if (!record.fields.has(code)) record.fields.set(code, text.trimStart().slice(1));
  }
  yield* finish();
}

function typeSection(type: string, header: string, line: number): Section {
  if (TRANSACTION_TYPES.has(type)) return 'transactions';
  if (type === 'invst') {
    throw fileError(
      line,
      header,
      'an investment account (!Type:Invst) cannot be imported: only bank-like accounts',
    );
  }
  if (Object.hasOwn(OTHER_LISTS, type)) return 'skipped';
  throw fileError(line, header, `"${header.slice(0, 40)}" is not a QIF section this reader knows`);
}

const skippedList = (type: string, header: string, line: number): ParsedItem =>
  refusedItem(line, header, `${OTHER_LISTS[type] ?? 'a list'}, not transactions: skipped`);

function qifRow(line: number, fields: Map<string, string>, settings: QifSettings): ParsedItem {
  const required = (code: string, what: string): string => {
    const value = fields.get(code)?.trim();
    if (!value) throw new Refusal(`the record has no ${what} (${code} line)`, code);
    return value;
  };
  const date = cell('D', () => (settings.readDate ?? readQuickenDate)(required('D', 'date')));
  const amountCode = fields.get('T')?.trim() || !fields.get('U')?.trim() ? 'T' : 'U';
  const amount = cell(amountCode, () =>
    parseAmount(required(amountCode, 'amount'), settings.decimalSeparator),
  );
  const payee = cell('P', () => readText(fields.get('P'), MAX_PAYEE_LENGTH));
  const memo = cell('M', () => readText(fields.get('M'), MAX_DESCRIPTION_LENGTH));
  return { kind: 'row', row: { line, date, amount, description: memo ?? payee, payee, bankId: null } };
}

function readQuickenDate(text: string): string {
  const match = QUICKEN_DATE.exec(text);
  if (!match)
    throw new Refusal(`"${text.slice(0, 40)}" is not a date of the form M/D/YY, M/D'YY or M/D/YYYY`);
  const [, month, day, apostropheYear, slashYear] = match;
  const year = apostropheYear !== undefined ? apostropheYearOf(apostropheYear) : twoOrFour(slashYear!);
  return calendarDate(year, Number(month), Number(day), text);
}

/** After an apostrophe Quicken writes the year from 2000: '4, '04 and '24 are 2004, 2004, 2024. */
const apostropheYearOf = (digits: string): number =>
  digits.length === 4 ? Number(digits) : 2000 + Number(digits);

const twoOrFour = (digits: string): number =>
  digits.length === 4 ? Number(digits) : fullYear(Number(digits));
