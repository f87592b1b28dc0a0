import { isUuid } from '../../db/ids.js';
import { ImportFormat } from './import.entity.js';
import { MAX_KEPT_LINES, type CsvMappingInput } from './import.inputs.js';
import type { ImportRequest } from './import.service.js';

/** What POST /import is asked, from its query string. */
export interface ImportParams {
  request: ImportRequest;
  preview: boolean;
  importId: string | null;
  skipRefused: boolean;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

const MAPPING_KEYS = ['date', 'amount', 'debit', 'credit', 'description', 'payee', 'bankId'] as const;
const MAX_TEXT = 255;

/**
 * POST /import?accountId=&format=CSV|OFX|QIF&mapping={"date":"Date","amount":"Amount"}&hasHeader=
 * &delimiter=&dateFormat=&decimalSeparator=&invertSigns=&fileName=&keepLines=3,17&importId=
 * &skipRefused=true&preview=true: the same options as the mutations' ImportFileInput, checked as
 * strictly (a repeated or unknown-shaped parameter is refused, not guessed at).
 */
export function parseImportParams(query: Record<string, unknown>): Parsed<ImportParams> {
  const text = (name: string, max = MAX_TEXT): Parsed<string | null> => {
    const value = query[name];
    if (value === undefined || value === '') return { ok: true, value: null };
    if (typeof value !== 'string') return { ok: false, field: name, message: `${name} must be given once` };
    if (value.length > max || value.includes('\u0000'))
      return { ok: false, field: name, message: `${name} must be at most ${max} characters` };
    return { ok: true, value };
  };
  const flag = (name: string): Parsed<boolean | null> => {
    const value = text(name);
    if (!value.ok || value.value === null) return value as Parsed<null>;
    if (value.value === 'true' || value.value === 'false') return { ok: true, value: value.value === 'true' };
    return { ok: false, field: name, message: `${name} must be true or false` };
  };
  const fields = {
    accountId: text('accountId'),
    format: text('format'),
    mapping: text('mapping', 4_000),
    hasHeader: flag('hasHeader'),
    delimiter: text('delimiter', 1),
    dateFormat: text('dateFormat', 20),
    decimalSeparator: text('decimalSeparator', 1),
    invertSigns: flag('invertSigns'),
    fileName: text('fileName'),
    keepLines: text('keepLines', 100_000),
    importId: text('importId'),
    skipRefused: flag('skipRefused'),
    preview: flag('preview'),
  };
  for (const field of Object.values(fields)) if (!field.ok) return field;
  const value = <T>(field: Parsed<T>): T => (field as { value: T }).value;

  const accountId = value(fields.accountId);
  if (!accountId) return { ok: false, field: 'accountId', message: 'accountId is required' };
  const format = value(fields.format)?.toUpperCase();
  if (!format || !(format in ImportFormat))
    return { ok: false, field: 'format', message: 'format must be CSV, OFX or QIF' };
  const mapping = parseMapping(value(fields.mapping));
  if (!mapping.ok) return mapping;
  const keepLines = parseLines(value(fields.keepLines));
  if (!keepLines.ok) return keepLines;
  const importId = value(fields.importId);
  if (importId !== null && !isUuid(importId))
    return { ok: false, field: 'importId', message: 'importId must be a UUID' };
  return {
    ok: true,
    value: {
      request: {
        accountId,
        fileName: value(fields.fileName)?.trim() || null,
        options: {
          format: format as ImportFormat,
          mapping: mapping.value,
          hasHeader: value(fields.hasHeader),
          delimiter: value(fields.delimiter),
          dateFormat: value(fields.dateFormat),
          decimalSeparator: value(fields.decimalSeparator),
          invertSigns: value(fields.invertSigns),
        },
        keepLines: keepLines.value,
      },
      preview: value(fields.preview) ?? false,
      importId,
      skipRefused: value(fields.skipRefused) ?? false,
    },
  };
}

function parseMapping(json: string | null): Parsed<CsvMappingInput | null> {
  if (json === null) return { ok: true, value: null };
  const refused = {
    ok: false,
    field: 'mapping',
    message: `mapping must be a JSON object of column names: ${MAPPING_KEYS.join(', ')}`,
  } as const;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return refused;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return refused;
  const mapping: Record<string, string | null> = {};
  for (const [key, column] of Object.entries(parsed)) {
    if (!(MAPPING_KEYS as readonly string[]).includes(key)) return refused;
    if (column !== null && (typeof column !== 'string' || column.length > 200)) return refused;
    mapping[key] = column;
  }
  if (typeof mapping.date !== 'string')
    return { ok: false, field: 'mapping', message: 'mapping needs a date column' };
  return { ok: true, value: mapping as unknown as CsvMappingInput };
}

function parseLines(list: string | null): Parsed<number[]> {
  if (list === null) return { ok: true, value: [] };
  const lines = list.split(',').map((part) => Number(part.trim()));
  if (lines.length > MAX_KEPT_LINES || lines.some((line) => !Number.isSafeInteger(line) || line < 1))
    return {
      ok: false,
      field: 'keepLines',
      message: `keepLines must be up to ${MAX_KEPT_LINES} line numbers, comma-separated`,
    };
  return { ok: true, value: lines };
}
