import { dropDatabase, run, sql, urlOf } from './postgres.js';

/**
 * Runs a memory scenario's script (`node --expose-gc`, its own process so its RSS is its own) on
 * a database of its own, created fresh and dropped after, with BENCH_ROWS; returns the JSON
 * summary the script prints as its last line.
 */
export async function runMemoryScript<T>(script: string, database: string, rows: number): Promise<T> {
  await dropDatabase(database);
  await sql('postgres', `create database "${database}"`);
  try {
    const output = await run(process.execPath, ['--expose-gc', script], {
      ...process.env,
      DATABASE_URL: urlOf(database),
      BENCH_ROWS: String(rows),
    });
    return JSON.parse(output.trim().split('\n').at(-1)!) as T;
  } finally {
    await dropDatabase(database);
  }
}
