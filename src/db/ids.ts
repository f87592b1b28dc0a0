const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids are UUIDs. A malformed id can never name a row, so callers answer NOT_FOUND for it without
 * sending it to PostgreSQL (which would reject it with a syntax error).
 */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** UUIDs are case-insensitive: the lower-case form, so ids given in any case compare equal in code too. */
export const canonicalId = (value: string): string => (isUuid(value) ? value.toLowerCase() : value);

/** An id no row has: stands for "none" where SQL needs a value (a missing category, no user). */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';
