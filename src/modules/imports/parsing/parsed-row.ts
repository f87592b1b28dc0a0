/**
 * What every bank-file parser (CSV, OFX/QFX, QIF) yields, one item at a time: a parsed row, or a
 * row refused with the reason and where. Parsers are pure and streaming: they read the file as
 * chunks and never hold more than one record, so memory does not grow with the file. A file that
 * cannot be read at all (binary, malformed structure, a mapping naming no column, a line beyond
 * the limit) throws an AppError BAD_USER_INPUT naming the line and column instead.
 */

export type ImportFormat = 'CSV' | 'OFX' | 'QIF';

/** Which CSV column holds what: a header name (with a header row) or a 1-based column number. */
export interface CsvColumnMapping {
  date: string;
  /** One signed amount column, or a debit/credit pair (debit is money out). */
  amount?: string | null;
  debit?: string | null;
  credit?: string | null;
  description?: string | null;
  payee?: string | null;
  /** The bank's own id of the row, used to recognise it when the same file comes again. */
  bankId?: string | null;
}

export interface ParseOptions {
  format: ImportFormat;
  /** CSV only. */
  mapping?: CsvColumnMapping | null;
  /** CSV only: whether the first row names the columns (default true). */
  hasHeader?: boolean | null;
  /** CSV only: one character (default ','). */
  delimiter?: string | null;
  /** e.g. YYYY-MM-DD, DD/MM/YYYY, MM/DD/YYYY, DD.MM.YYYY, YYYYMMDD, M/D/YY (CSV and QIF). */
  dateFormat?: string | null;
  /** '.' (default) or ','; the other one may then group thousands (CSV and QIF). */
  decimalSeparator?: string | null;
  /** Money out is positive in the file (some credit card exports): flip every sign. */
  invertSigns?: boolean | null;
}

export interface ParsedRow {
  /** 1-based line of the file where the record starts. */
  line: number;
  /** YYYY-MM-DD */
  date: string;
  /** Signed exact decimal with at most 2 decimals, e.g. "-12.34": negative is money out. */
  amount: string;
  description: string | null;
  payee: string | null;
  bankId: string | null;
}

export interface RefusedRow {
  line: number;
  /** The column (CSV header or number) or field (OFX tag, QIF code) at fault, when one is. */
  column: string | null;
  reason: string;
}

export type ParsedItem = { kind: 'row'; row: ParsedRow } | { kind: 'refused'; refused: RefusedRow };
