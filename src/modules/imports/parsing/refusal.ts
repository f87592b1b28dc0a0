import { AppError, ErrorCode } from '../../../errors/app-error.js';
import type { ParsedItem } from './parsed-row.js';

/**
 * A problem with one cell or field of one record: the record is refused and parsing goes on.
 * Thrown by the cell readers and caught where the record is turned into a ParsedItem, which
 * knows the line and the column's name.
 */
export class Refusal extends Error {
  constructor(
    readonly reason: string,
    readonly column: string | null = null,
  ) {
    super(reason);
    this.name = 'Refusal';
  }
}

/** Reads one cell: a Refusal from `read` is given the cell's column name. */
export function cell<T>(column: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof Refusal && error.column === null) throw new Refusal(error.reason, column);
    throw error;
  }
}

export const refusedItem = (line: number, column: string | null, reason: string): ParsedItem => ({
  kind: 'refused',
  refused: { line, column, reason },
});

/** Runs `build`; a Refusal becomes a refused item of that line, any other error goes up. */
export function itemOrRefusal(line: number, build: () => ParsedItem): ParsedItem {
  try {
    return build();
  } catch (error) {
    if (error instanceof Refusal) return refusedItem(line, error.column, error.reason);
    throw error;
  }
}

/**
 * A file that cannot be read on: BAD_USER_INPUT on the `file` field, its message starting with
 * where ("line 12, column Amount: …") so it reads well even where extensions are not shown.
 */
export function fileError(line: number, column: string | null, reason: string): AppError {
  const where = column === null ? `line ${line}` : `line ${line}, column ${column}`;
  return new AppError(ErrorCode.BAD_USER_INPUT, `${where}: ${reason}`, {
    field: 'file',
    line,
    ...(column === null ? {} : { column }),
  });
}
