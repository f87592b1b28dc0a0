import { badInput } from '../../../errors/app-error.js';
import type { CsvColumnMapping } from './parsed-row.js';
import { fileError } from './refusal.js';

export type MappedField = keyof CsvColumnMapping;

/** Where a mapped field sits in each record, and the name refusals give it. */
export interface Column {
  index: number;
  name: string;
}

export type Columns = Partial<Record<MappedField, Column>>;

const FIELDS: MappedField[] = ['date', 'amount', 'debit', 'credit', 'description', 'payee', 'bankId'];
const COLUMN_NUMBER = /^[1-9]\d{0,3}$/;

/** Refuses a mapping that cannot describe a bank file, before any byte is read. */
export function checkCsvMapping(mapping: CsvColumnMapping | null | undefined, hasHeader: boolean): void {
  if (!mapping)
    throw badInput('mapping', 'A CSV import needs a mapping: which column holds the date and the amount');
  for (const field of FIELDS) {
    const ref = mapping[field];
    if (ref == null) continue;
    if (ref.trim() === '' || ref.length > 200) {
      throw badInput('mapping', `mapping.${field} must name a column (1 to 200 characters)`);
    }
    if (!hasHeader && !COLUMN_NUMBER.test(ref.trim())) {
      throw badInput(
        'mapping',
        `mapping.${field} must be a column number such as "3": the file has no header`,
      );
    }
  }
  if (mapping.date == null) throw badInput('mapping', 'mapping.date is required');
  const pair = [mapping.debit, mapping.credit].filter((ref) => ref != null).length;
  if (mapping.amount != null && pair > 0) {
    throw badInput(
      'mapping',
      'Map either mapping.amount or the pair mapping.debit and mapping.credit, not both',
    );
  }
  if (mapping.amount == null && pair !== 2) {
    throw badInput('mapping', 'Map mapping.amount, or both mapping.debit and mapping.credit');
  }
}

/**
 * The mapped columns found in the header (by name: exact, else ignoring case; else a column
 * number) or, without a header, by number in the first record. A name the header lacks is a
 * file-level error at the header's line naming that column.
 */
export function resolveColumns(
  mapping: CsvColumnMapping,
  firstRecord: string[],
  hasHeader: boolean,
  line: number,
): Columns {
  const header = firstRecord.map((name) => name.trim());
  const columns: Columns = {};
  for (const field of FIELDS) {
    const ref = mapping[field]?.trim();
    if (ref == null) continue;
    const index = hasHeader ? findByName(header, ref, line) : -1;
    if (index >= 0) {
      columns[field] = { index, name: header[index]! };
    } else if (COLUMN_NUMBER.test(ref) && Number(ref) <= header.length) {
      const number = Number(ref);
      columns[field] = {
        index: number - 1,
        name: hasHeader && header[number - 1] ? header[number - 1]! : ref,
      };
    } else {
      throw fileError(line, ref, missingColumn(ref, header, hasHeader));
    }
  }
  return columns;
}

function findByName(header: string[], name: string, line: number): number {
  const exact = indexesOf(header, (column) => column === name);
  const matches = exact.length > 0 ? exact : indexesOf(header, (c) => c.toLowerCase() === name.toLowerCase());
  if (matches.length > 1)
    throw fileError(line, name, `the header has ${matches.length} columns named "${name}"`);
  return matches[0] ?? -1;
}

const indexesOf = (names: string[], test: (name: string) => boolean): number[] =>
  names.flatMap((name, index) => (test(name) ? [index] : []));

function missingColumn(ref: string, header: string[], hasHeader: boolean): string {
  if (!hasHeader) return `the mapping names column ${ref} but the first row has ${header.length} columns`;
  const names = header.slice(0, 30).map((name) => (name.length > 40 ? `${name.slice(0, 40)}…` : name));
  return `the header has no column "${ref}" (it has: ${names.join(', ')}${header.length > 30 ? ', …' : ''})`;
}
