/** One line of the suite's table: our figure, the baseline's, and the ratio between them. */
export interface Row {
  scenario: string;
  metric: string;
  ours: number;
  baseline?: { name: string; value: number };
  /** Whether a higher figure is better (req/s) or lower (ms, MB). */
  higherIsBetter: boolean;
  target?: string;
}

export function ratio(row: Row): number | undefined {
  if (!row.baseline || row.baseline.value === 0) return undefined;
  return row.higherIsBetter ? row.ours / row.baseline.value : row.baseline.value / row.ours;
}

const figure = (value: number): string =>
  value >= 100 ? Math.round(value).toLocaleString('en') : value >= 10 ? value.toFixed(1) : value.toFixed(2);

/**
 * A markdown table: ratio > 1 means better than the baseline whichever way the metric points
 * (for "lower is better" metrics it is baseline / ours).
 */
export function table(rows: Row[]): string {
  const lines = [
    '| scenario | metric | Ledgerline | baseline | ratio | target |',
    '|---|---|---:|---|---:|---|',
  ];
  for (const row of rows) {
    const r = ratio(row);
    lines.push(
      `| ${row.scenario} | ${row.metric} | ${figure(row.ours)} | ${row.baseline ? `${row.baseline.name}: ${figure(row.baseline.value)}` : ''} | ${r === undefined ? '' : `${r.toFixed(2)}×`} | ${row.target ?? ''} |`,
    );
  }
  return lines.join('\n');
}

export const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
