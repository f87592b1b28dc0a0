import { CsvError, parse } from 'csv-parse';
import { pipeline, Readable } from 'node:stream';
import { asMoneyIn, asMoneyOut, isZero, parseAmount, type DecimalSeparator } from './amounts.js';
import { resolveColumns, type Column, type Columns } from './csv-columns.js';
import type { DateReader } from './dates.js';
import { MAX_LINE_BYTES, type TextLine } from './lines.js';
import type { CsvColumnMapping, ParsedItem } from './parsed-row.js';
import { cell, fileError, itemOrRefusal, Refusal } from './refusal.js';
import { isBlank, MAX_BANK_ID_LENGTH, MAX_DESCRIPTION_LENGTH, MAX_PAYEE_LENGTH, readText } from './text.js';

export interface CsvSettings {
  mapping: CsvColumnMapping;
  hasHeader: boolean;
  delimiter: string;
  readDate: DateReader;
  decimalSeparator: DecimalSeparator;
}

interface CsvRecord {
  record: string[];
  info: { lines: number };
  raw: string;
}

/** The layout learned from the first record: where the mapped fields are, how many columns a row has. */
interface Layout {
  columns: Columns;
  width: number;
  widthFrom: string;
}

/**
 * Rows of a CSV file, read with csv-parse as the lines arrive. Blank rows (empty, or only
 * delimiters and spaces) are skipped. Problems of one row are refused rows; a file csv-parse
 * cannot read on (a quote left open, a stray quote, a record past 64 KiB) throws.
 */
export async function* parseCsv(
  lines: AsyncIterable<TextLine>,
  settings: CsvSettings,
): AsyncGenerator<ParsedItem> {
  const parser = parse({
    delimiter: settings.delimiter,
    // Lines come without their ending (CRLF included), each is given back a plain LF.
    record_delimiter: '\n',
    bom: false,
    info: true,
    raw: true,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: MAX_LINE_BYTES,
  });
  // pipeline, not pipe: an error of the lines (a binary file) reaches the parser and the loop
  // below, and leaving the loop early stops reading the upload.
  pipeline(Readable.from(withLineEndings(lines)), parser, () => {});
  let layout: Layout | null = null;
  try {
    for await (const { record, info, raw } of parser as AsyncIterable<CsvRecord>) {
      if (record.every((value) => isBlank(value))) continue;
      const line = startLine(info.lines, raw);
      if (layout === null) {
        layout = {
          columns: resolveColumns(settings.mapping, record, settings.hasHeader, line),
          width: record.length,
          widthFrom: settings.hasHeader ? 'the header has' : 'the first row has',
        };
        if (settings.hasHeader) continue;
      }
      yield itemOrRefusal(line, () => rowItem(record, line, layout!, settings));
    }
  } catch (error) {
    throw error instanceof CsvError ? csvFileError(error) : error;
  }
}

/** The lines back as text for csv-parse, a few KiB at a time: one write per line costs more than the parsing. */
async function* withLineEndings(lines: AsyncIterable<TextLine>): AsyncGenerator<string> {
  let batch = '';
  for await (const { text } of lines) {
    batch += `${text}\n`;
    if (batch.length >= 16 * 1024) {
      yield batch;
      batch = '';
    }
  }
  if (batch !== '') yield batch;
}

/**
 * csv-parse counts the line where a record ends; a record starts as many lines earlier as its
 * raw text has line breaks (not counting the skipped empty lines it carries in front).
 */
function startLine(endLine: number, raw: string): number {
  const breaks = raw.replace(/^\n+/, '').replace(/\n$/, '').split('\n').length - 1;
  return endLine - breaks;
}

function rowItem(record: string[], line: number, layout: Layout, settings: CsvSettings): ParsedItem {
  const { columns } = layout;
  const extra = record.slice(layout.width);
  if (record.length < layout.width || extra.some((value) => !isBlank(value))) {
    throw new Refusal(`the row has ${record.length} columns where ${layout.widthFrom} ${layout.width}`);
  }
  const text = (column: Column | undefined, max: number) =>
    column ? cell(column.name, () => readText(record[column.index], max)) : null;
  const date = columns.date!;
  return {
    kind: 'row',
    row: {
      line,
      date: cell(date.name, () => settings.readDate(required(record[date.index]))),
      amount: amountOf(record, columns, settings.decimalSeparator),
      description: text(columns.description, MAX_DESCRIPTION_LENGTH),
      payee: text(columns.payee, MAX_PAYEE_LENGTH),
      bankId: text(columns.bankId, MAX_BANK_ID_LENGTH),
    },
  };
}

/** A signed amount column, or a debit/credit pair of which exactly one is filled (a 0 counts as empty). */
function amountOf(record: string[], columns: Columns, decimalSeparator: DecimalSeparator): string {
  const read = (column: Column) =>
    cell(column.name, () => parseAmount(required(record[column.index]), decimalSeparator));
  if (columns.amount) return read(columns.amount);
  const debit = columns.debit!;
  const credit = columns.credit!;
  const given = [debit, credit].filter((column) => !isBlank(record[column.index]));
  const amounts = given.map((column) =>
    column === debit ? asMoneyOut(read(column)) : asMoneyIn(read(column)),
  );
  const nonZero = amounts.filter((amount) => !isZero(amount));
  if (given.length === 0) throw new Refusal(`neither ${debit.name} nor ${credit.name} is filled`);
  if (nonZero.length > 1) throw new Refusal(`both ${debit.name} and ${credit.name} are filled`);
  return nonZero[0] ?? amounts[0]!;
}

function required(value: string | undefined): string {
  if (isBlank(value)) throw new Refusal('is empty');
  return value!;
}

function csvFileError(error: CsvError): Error {
  const endLine = typeof error.lines === 'number' ? error.lines : 1;
  const raw = typeof error.raw === 'string' ? error.raw : '';
  const line = startLine(endLine, raw);
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return fileError(line, null, 'a quoted field opened on this line is never closed');
    case 'CSV_MAX_RECORD_SIZE':
      return fileError(line, null, `the record is longer than ${MAX_LINE_BYTES / 1024} KiB`);
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'INVALID_OPENING_QUOTE':
      return fileError(
        endLine,
        null,
        'a quote inside a field that is not quoted as a whole (a quoted field is "…" with inner quotes doubled)',
      );
    default:
      return fileError(endLine, null, `the CSV cannot be read: ${error.message}`);
  }
}
