import { fileURLToPath } from 'node:url';
import { runMemoryScript } from '../lib/memory-script.js';
import type { Row } from '../lib/report.js';
import type { Settings } from '../lib/settings.js';

const SCRIPT = fileURLToPath(new URL('./import-memory.js', import.meta.url));

/** I1: the server's RSS growth while it imports a large bank file, against a 1,000-row import. */
export async function importScenario(settings: Settings): Promise<Row[]> {
  const rows = settings.quick ? 50_000 : 200_000;
  settings.log(`I1 import memory, ${rows.toLocaleString('en')} rows`);
  const result = await runMemoryScript<{ growthMb: number; baselineGrowthMb: number; ms: number }>(
    SCRIPT,
    'ledgerline_bench_import',
    rows,
  );
  return [
    {
      scenario: `I1 CSV import via POST /import, ${rows.toLocaleString('en')} rows (${Math.round(result.ms / 1000)} s)`,
      metric: 'server RSS growth MB',
      ours: result.growthMb,
      baseline: { name: '1,000-row import', value: result.baselineGrowthMb },
      higherIsBetter: false,
      target: '< 100 MB',
    },
  ];
}
