import { isUuid } from '../../db/ids.js';
import { badInput } from '../../errors/app-error.js';
import { isCalendarDate } from '../../calendar/dates.js';
import { TransactionSortField } from './transaction-connection.type.js';

/** The position of a row in one sort order: its sort key and its id (the tie-breaker). */
export interface CursorPosition {
  field: TransactionSortField;
  key: string;
  id: string;
}

/** Opaque to clients: base64url of a small JSON document. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.field, position.key, position.id]), 'utf8').toString(
    'base64url',
  );
}

/** A cursor from another sort order, or one that does not decode, is BAD_USER_INPUT. */
export function decodeCursor(cursor: string, field: TransactionSortField): CursorPosition {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 3 && decoded.every((part) => typeof part === 'string')) {
      const [cursorField, key, id] = decoded as [string, string, string];
      if (cursorField === field && isValidKey(field, key) && isUuid(id)) {
        return { field, key, id };
      }
    }
  } catch {
    // fall through to the error below
  }
  throw badInput('after', 'after is not a cursor of this sort order');
}

function isValidKey(field: TransactionSortField, key: string): boolean {
  switch (field) {
    case TransactionSortField.DATE:
      return isCalendarDate(key);
    case TransactionSortField.AMOUNT:
      return /^\d{1,15}\.\d{2}$/.test(key);
    case TransactionSortField.CREATED_AT: {
      // Exactly what encodeCursor wrote (an ISO instant to the microsecond that survives a round
      // trip), on a day of the supported range: PostgreSQL has no year 0.
      const millis = `${key.slice(0, 23)}Z`;
      return (
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(key) &&
        new Date(millis).toISOString() === millis &&
        isCalendarDate(key.slice(0, 10))
      );
    }
  }
}
