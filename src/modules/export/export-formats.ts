import { stringify } from 'csv-stringify/sync';
import type { ExportRow } from './export-rows.js';

/** Turns pages of rows into the text of one file, page by page. */
export interface ExportFormat {
  contentType: string;
  /** The text of the next page; the first call also begins the file (even with no rows). */
  page(rows: ExportRow[]): string;
  /** The text that ends the file. */
  end(): string;
}

const CSV_COLUMNS = [
  'date',
  'type',
  'amount',
  'currency',
  'account',
  'transfer account',
  'category',
  'description',
  'tags',
  'id',
];

/** Spreadsheets run cells starting with these as formulas; a leading ' makes them plain text. */
const FORMULA_START = /^[=+\-@\t\r]/;
const neutralize = (value: string): string => (FORMULA_START.test(value) ? `'${value}` : value);

/**
 * CSV with every field quoted, the header and empty cells included: a spreadsheet that splits on
 * ; (or guesses the separator) still sees `x;=1+1;x` as one cell, never a cell starting with =.
 */
export function csvFormat(): ExportFormat {
  let first = true;
  return {
    contentType: 'text/csv; charset=utf-8',
    page(rows) {
      const text = stringify(rows.map(csvRecord), {
        header: first,
        columns: CSV_COLUMNS,
        quoted: true,
        quoted_empty: true,
        cast: { string: neutralize },
      });
      first = false;
      return text;
    },
    end: () => '',
  };
}

/** A row in CSV_COLUMNS order. */
function csvRecord(row: ExportRow): string[] {
  return [
    row.date,
    row.type,
    row.amount,
    row.currency,
    row.account,
    row.transferAccount ?? '',
    row.category ?? '',
    row.description ?? '',
    row.tags.join(', '),
    row.id,
  ];
}

/** One JSON array, a row per line. */
export function jsonFormat(): ExportFormat {
  let empty = true;
  return {
    contentType: 'application/json; charset=utf-8',
    page(rows) {
      let text = '';
      for (const row of rows) {
        text += `${empty ? '[' : ','}\n${JSON.stringify(row)}`;
        empty = false;
      }
      return text;
    },
    end: () => (empty ? '[]\n' : '\n]\n'),
  };
}

export const EXPORT_FORMATS = { csv: csvFormat, json: jsonFormat } as const;
