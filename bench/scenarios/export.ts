import { fileURLToPath } from 'node:url';
import { dropDatabase, run, sql, urlOf } from '../lib/postgres.js';
import type { Row } from '../lib/report.js';
import type { Settings } from '../lib/settings.js';

const SCRIPT = fileURLToPath(new URL('./export-memory.js', import.meta.url));
const DATABASE = 'ledgerline_bench_export';

/** E1: the server's RSS growth while it streams a large export, against a 1,000-row export. */
export async function exportScenario(settings: Settings): Promise<Row[]> {
  const rows = settings.quick ? 20_000 : 100_000;
  settings.log(`E1 export memory, ${rows.toLocaleString('en')} rows`);
  await dropDatabase(DATABASE);
  await sql('postgres', `create database "${DATABASE}"`);
  try {
    const output = await run(process.execPath, ['--expose-gc', SCRIPT], {
      ...process.env,
      DATABASE_URL: urlOf(DATABASE),
      BENCH_ROWS: String(rows),
    });
    const summary = JSON.parse(output.trim().split('\n').at(-1)!) as Record<
      string,
      { growthMb: number; baselineGrowthMb: number }
    >;
    return Object.entries(summary).map(([format, result]) => ({
      scenario: `E1 export ${format.toUpperCase()}, ${rows.toLocaleString('en')} rows`,
      metric: 'server RSS growth MB',
      ours: result.growthMb,
      baseline: { name: '1,000-row export', value: result.baselineGrowthMb },
      higherIsBetter: false,
      target: '< 50 MB',
    }));
  } finally {
    await dropDatabase(DATABASE);
  }
}
