// Import memory benchmark: writes a CSV bank statement of 200,000 rows to a temporary file, sends
// it to POST /import (received into a temporary file, then read as a stream in batches) and prints
// the server process's RSS growth, against a 1,000-row import run in the same process. Run by the
// suite as I1 (npm run bench), or alone: node --expose-gc dist/bench/scenarios/import-memory.js
// (uses DATABASE_URL when set, else a throw-away embedded database). Its last line is a JSON
// summary for the suite.
import 'reflect-metadata';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadConfig } from '../../src/config.js';
import { findBalanceDrift, findTotalsDrift } from '../../src/modules/ledger/verify.js';
import { bootstrap } from '../../src/server.js';
import { gql as request } from '../lib/app.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 200_000);
const BASELINE_ROWS = 1_000;
const TARGET_MB = 100;
const MB = 1024 * 1024;
const MAPPING = JSON.stringify({
  date: 'Date',
  amount: 'Amount',
  description: 'Description',
  payee: 'Payee',
  bankId: 'Id',
});

const workDir = await mkdtemp(join(tmpdir(), 'ledgerline-bench-import-'));
const config = loadConfig({
  ...process.env,
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  BCRYPT_COST: '4',
  IMPORT_MAX_ROWS: String(Math.max(ROWS, 250_000)),
});
const server = await bootstrap({ config: { ...config, dataDir: join(workDir, 'data') } });

const gql = <T>(query: string, variables: object, token?: string) =>
  request<T>(server.url, query, variables, token);

async function account(tag: string): Promise<{ token: string; accountId: string }> {
  const { register } = await gql<{ register: { accessToken: string } }>(
    'mutation ($i: RegisterInput!) { register(input: $i) { accessToken } }',
    { i: { email: `bench-import-${tag}-${Date.now()}@example.com`, password: 'benchmark password' } },
  );
  const { createAccount } = await gql<{ createAccount: { id: string } }>(
    'mutation { createAccount(input: { name: "Bench", type: CHECKING, openingBalance: "1000000000" }) { id } }',
    {},
    register.accessToken,
  );
  return { token: register.accessToken, accountId: createAccount.id };
}

/** A bank export of `rows` rows, written as a stream: the benchmark holds no more of it than the server. */
async function writeStatement(rows: number): Promise<string> {
  const path = join(workDir, `statement-${rows}.csv`);
  async function* lines() {
    yield 'Date,Amount,Description,Payee,Id\n';
    for (let i = 0; i < rows; i++) {
      const date = `20${String(16 + (i % 10)).padStart(2, '0')}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
      yield `${date},-${(i % 9000) + 1}.${String(i % 100).padStart(2, '0')},Card purchase ${i},Shop ${i % 500},TX${i}\n`;
    }
  }
  await pipeline(Readable.from(lines()), createWriteStream(path));
  return path;
}

/** Sends one file to POST /import, sampling RSS; returns the peak growth over the start in MB. */
async function measure(
  rows: number,
): Promise<{ growthMb: number; bytes: number; ms: number; created: number }> {
  const { token, accountId } = await account(String(rows));
  const path = await writeStatement(rows);
  const { size } = await stat(path);
  global.gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const began = Date.now();
  const query = new URLSearchParams({
    accountId,
    format: 'CSV',
    mapping: MAPPING,
    fileName: `statement-${rows}.csv`,
  });
  const response = await fetch(new URL(`/import?${query}`, server.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'content-length': String(size) },
    body: Readable.toWeb(createReadStream(path)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  const body = (await response.json()) as { import?: { createdCount: number }; errors?: unknown };
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  if (response.status !== 200 || !body.import)
    throw new Error(`import answered ${response.status}: ${JSON.stringify(body)}`);
  return {
    growthMb: (peak - start) / MB,
    bytes: size,
    ms: Date.now() - began,
    created: body.import.createdCount,
  };
}

try {
  await measure(BASELINE_ROWS); // warm-up: code paths, pools, JIT
  const baseline = await measure(BASELINE_ROWS);
  const result = await measure(ROWS);
  if (result.created !== ROWS) throw new Error(`created ${result.created} of ${ROWS} rows`);
  const drift = [
    ...(await findBalanceDrift(server.app.orm.em.fork())),
    ...(await findTotalsDrift(server.app.orm.em.fork())),
  ];
  if (drift.length) throw new Error(`The import left ledger drift: ${JSON.stringify(drift.slice(0, 3))}`);
  console.log(
    `CSV import: ${ROWS} rows, ${(result.bytes / MB).toFixed(1)} MB in ${result.ms} ms ` +
      `(${Math.round(ROWS / (result.ms / 1000))} rows/s); RSS growth ${result.growthMb.toFixed(1)} MB ` +
      `(baseline ${BASELINE_ROWS} rows: ${baseline.growthMb.toFixed(1)} MB)`,
  );
  if (result.growthMb >= TARGET_MB) process.exitCode = 1;
  console.log(
    process.exitCode
      ? `FAIL: RSS grew by ${TARGET_MB} MB or more`
      : `OK: RSS growth stayed under ${TARGET_MB} MB`,
  );
  console.log(
    JSON.stringify({
      rows: ROWS,
      growthMb: result.growthMb,
      baselineGrowthMb: baseline.growthMb,
      ms: result.ms,
    }),
  );
} finally {
  await server.close();
  await rm(workDir, { recursive: true, force: true });
}
