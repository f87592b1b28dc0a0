import { badInput } from '../../../errors/app-error.js';
import { negate, type DecimalSeparator } from './amounts.js';
import { checkCsvMapping } from './csv-columns.js';
import { parseCsv } from './csv.js';
import { dateReader, DEFAULT_DATE_FORMAT } from './dates.js';
import { readRawLines, readUtf8Lines } from './lines.js';
import { parseOfx } from './ofx.js';
import type { ParsedItem, ParseOptions } from './parsed-row.js';
import { parseQif } from './qif.js';

const FORMATS = new Set(['CSV', 'OFX', 'QIF']);
/** Characters that cannot separate CSV fields: quotes, line breaks, and what numbers and dates are made of. */
const BAD_DELIMITER = /[\p{L}\p{N}"\r\n.\-+]/u;

/**
 * Refuses options that cannot describe a file of the format, with BAD_USER_INPUT on the option
 * at fault, before any byte is read: an unknown format or date format, a CSV mapping missing
 * the date or the amount, an amount together with debit/credit, a delimiter or decimal separator
 * that cannot be one, CSV-only options (mapping, hasHeader, delimiter) for OFX or QIF, and
 * dateFormat or decimalSeparator for OFX, whose dates and amounts have one fixed form.
 */
export function checkParseOptions(options: ParseOptions): void {
  if (!FORMATS.has(options.format)) throw badInput('format', 'format must be CSV, OFX or QIF');
  if (options.format !== 'CSV') {
    for (const option of ['mapping', 'hasHeader', 'delimiter'] as const) {
      if (options[option] != null)
        throw badInput(option, `${option} is for CSV files only, not ${options.format}`);
    }
  }
  if (options.format === 'OFX') {
    for (const option of ['dateFormat', 'decimalSeparator'] as const) {
      if (options[option] != null) {
        throw badInput(option, `${option} does not apply to OFX: its dates and amounts have one fixed form`);
      }
    }
  }
  if (
    options.decimalSeparator != null &&
    options.decimalSeparator !== '.' &&
    options.decimalSeparator !== ','
  ) {
    throw badInput('decimalSeparator', 'decimalSeparator must be "." or ","');
  }
  if (options.dateFormat != null) dateReader(options.dateFormat);
  if (options.format === 'CSV') {
    const delimiter = options.delimiter ?? ',';
    if ([...delimiter].length !== 1 || BAD_DELIMITER.test(delimiter)) {
      throw badInput(
        'delimiter',
        'delimiter must be one character such as , ; | or a tab (not a letter, digit or quote)',
      );
    }
    checkCsvMapping(options.mapping, options.hasHeader ?? true);
  }
}

/**
 * The rows of a bank file, one at a time, read from the upload's chunks without holding more
 * than a line (or one CSV record, or one OFX value) in memory. Row problems are yielded as
 * refused items and parsing goes on; a file that cannot be read on throws an AppError
 * BAD_USER_INPUT on `file` with the line (and column). The options are checked first, before
 * any byte is read. invertSigns flips every amount, whatever the format.
 */
export async function* parseImport(
  source: AsyncIterable<Buffer | string>,
  options: ParseOptions,
): AsyncGenerator<ParsedItem> {
  checkParseOptions(options);
  for await (const item of itemsOf(source, options)) {
    yield options.invertSigns && item.kind === 'row'
      ? { kind: 'row', row: { ...item.row, amount: negate(item.row.amount) } }
      : item;
  }
}

function itemsOf(source: AsyncIterable<Buffer | string>, options: ParseOptions): AsyncGenerator<ParsedItem> {
  const decimalSeparator: DecimalSeparator = options.decimalSeparator === ',' ? ',' : '.';
  switch (options.format) {
    case 'CSV':
      return parseCsv(readUtf8Lines(source), {
        mapping: options.mapping!,
        hasHeader: options.hasHeader ?? true,
        delimiter: options.delimiter ?? ',',
        readDate: dateReader(options.dateFormat ?? DEFAULT_DATE_FORMAT),
        decimalSeparator,
      });
    case 'OFX':
      return parseOfx(readRawLines(source));
    case 'QIF':
      return parseQif(readUtf8Lines(source), {
        readDate: options.dateFormat == null ? null : dateReader(options.dateFormat),
        decimalSeparator,
      });
  }
}
