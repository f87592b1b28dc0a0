const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids are UUIDs. A malformed id can never name a row, so callers answer NOT_FOUND for it without
 * sending it to PostgreSQL (which would reject it with a syntax error).
 */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);
