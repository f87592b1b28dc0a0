import { fileURLToPath } from 'node:url';
import { runMemoryScript } from '../lib/memory-script.js';
import type { Row } from '../lib/report.js';
import type { Settings } from '../lib/settings.js';

const SCRIPT = fileURLToPath(new URL('./export-memory.js', import.meta.url));

/** E1: the server's RSS growth while it streams a large export, against a 1,000-row export. */
export async function exportScenario(settings: Settings): Promise<Row[]> {
  const rows = settings.quick ? 20_000 : 100_000;
  settings.log(`E1 export memory, ${rows.toLocaleString('en')} rows`);
  const summary = await runMemoryScript<Record<string, { growthMb: number; baselineGrowthMb: number }>>(
    SCRIPT,
    'ledgerline_bench_export',
    rows,
  );
  return Object.entries(summary).map(([format, result]) => ({
    scenario: `E1 export ${format.toUpperCase()}, ${rows.toLocaleString('en')} rows`,
    metric: 'server RSS growth MB',
    ours: result.growthMb,
    baseline: { name: '1,000-row export', value: result.baselineGrowthMb },
    higherIsBetter: false,
    target: '< 50 MB',
  }));
}
