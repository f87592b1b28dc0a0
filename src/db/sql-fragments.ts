/**
 * A timestamptz column as the ISO-8601 instant the API sends ("2026-12-01T10:00:00.000Z"). Plain
 * rows need it: MikroORM's driver returns timestamps as PostgreSQL's text, which is not ISO.
 */
export const isoInstant = (
  column: string,
  precision: 'milliseconds' | 'microseconds' = 'milliseconds',
): string =>
  `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.${precision === 'milliseconds' ? 'MS' : 'US'}"Z"')`;

/**
 * A reader of the columns `prefix` + field of a result row (a statement that reads several
 * tables names their columns apart by prefix) into an object of those fields. The column names
 * are made once, not for every row.
 */
export function prefixedColumns(
  fields: readonly string[],
  prefix: string,
): (row: Record<string, unknown>) => Record<string, unknown> {
  const keys = fields.map((field) => [field, `${prefix}${field}`] as const);
  return (row) => {
    const picked: Record<string, unknown> = {};
    for (const [field, column] of keys) picked[field] = row[column];
    return picked;
  };
}
