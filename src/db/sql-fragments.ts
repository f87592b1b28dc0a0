/**
 * A timestamptz column as the ISO-8601 instant the API sends ("2026-12-01T10:00:00.000Z"). Plain
 * rows need it: MikroORM's driver returns timestamps as PostgreSQL's text, which is not ISO.
 */
export const isoInstant = (column: string): string =>
  `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
