import { fileURLToPath } from 'node:url';
import { login, startApp } from '../lib/app.js';
import { measureLoad, type LoadResult } from '../lib/load.js';
import { copyDatabase, dropDatabase } from '../lib/postgres.js';
import { freePort, startService, type Service } from '../lib/processes.js';
import { mean, type Row } from '../lib/report.js';
import type { Seeded } from '../lib/seed.js';
import type { Settings } from '../lib/settings.js';
import { POSTGRAPHILE_LIST, startPostGraphile } from '../peers/postgraphile.js';

const LIST = `query ($first: Int!, $filter: TransactionFilter) {
  transactions(first: $first, sort: { field: DATE, direction: DESC }, filter: $filter) {
    nodes { id type amount date description account { name currency } category { name } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const LIST_WITH_COUNT = LIST.replace('pageInfo {', 'totalCount pageInfo {');
const PEER_WITH_COUNT = POSTGRAPHILE_LIST.replace('pageInfo {', 'totalCount pageInfo {');

const BASELINE = fileURLToPath(new URL('../baseline/server.js', import.meta.url));

/** A page of `rows` nodes and no error: each node has exactly one "amount". */
const pageOf =
  (rows: number) =>
  (body: string): boolean =>
    !body.includes('"errors"') && body.split('"amount":').length - 1 === rows;

interface Target {
  name: string;
  service: Service;
  headers?: Record<string, string>;
  body: (first: number, variant: 'plain' | 'count' | 'category') => string | undefined;
}

/**
 * R1 (first 50 newest with account and category, pageInfo) and R1b (first 500, with totalCount,
 * with a search, with a category filter) on Ledgerline, PostGraphile 5 and bare node+pg, all on
 * one copy of the seeded database, measured in turn.
 */
export async function readScenarios(seeded: Seeded, settings: Settings): Promise<Row[]> {
  const database = 'ledgerline_bench_reads';
  const url = await copyDatabase(seeded.template, database);
  const { big } = seeded.users;
  const category = big.expenseCategoryIds[0]!;
  const services: Service[] = [];
  try {
    const app = await startApp(url);
    services.push(app);
    const token = await login(app.url, big.email);
    const peer = await startPostGraphile(url);
    services.push(peer);
    const port = await freePort();
    const bare = await startService({
      name: 'bare node+pg',
      command: process.execPath,
      args: [BASELINE],
      env: { PATH: process.env.PATH, DATABASE_URL: url, USER_ID: big.id, PORT: String(port) },
      url: `http://127.0.0.1:${port}/`,
    });
    services.push(bare);

    const targets: Target[] = [
      {
        name: 'Ledgerline',
        service: app,
        headers: { authorization: `Bearer ${token}` },
        body: (first, variant) =>
          JSON.stringify({
            query: variant === 'count' ? LIST_WITH_COUNT : LIST,
            variables: { first, filter: variant === 'category' ? { categoryIds: [category] } : null },
          }),
      },
      {
        name: 'PostGraphile 5',
        service: peer,
        body: (first, variant) =>
          JSON.stringify({
            query:
              variant === 'count'
                ? PEER_WITH_COUNT
                : POSTGRAPHILE_LIST.replace(
                    'condition: { userId: $user }',
                    variant === 'category'
                      ? `condition: { userId: $user, categoryId: "${category}" }`
                      : 'condition: { userId: $user }',
                  ),
            variables: { user: big.id, first },
          }),
      },
      {
        name: 'bare node+pg',
        service: bare,
        body: (first, variant) =>
          variant === 'plain' ? JSON.stringify({ variables: { first } }) : undefined,
      },
    ];

    const load = async (
      target: Target,
      first: number,
      variant: 'plain' | 'count' | 'category',
      connections = 16,
    ) => {
      const body = target.body(first, variant);
      if (body === undefined) return undefined;
      return measureLoad(
        {
          url: target.service.url,
          connections,
          warmupSeconds: settings.warmupSeconds,
          seconds: settings.seconds,
          headers: target.headers,
          body,
          verify: pageOf(first),
        },
        target.service,
      );
    };

    const results = new Map<string, LoadResult[]>();
    const keep = (key: string, result: LoadResult | undefined) => {
      if (result) results.set(key, [...(results.get(key) ?? []), result]);
    };
    for (let round = 1; round <= settings.rounds; round++) {
      for (const target of targets) {
        settings.log(`R1 round ${round}: ${target.name}`);
        keep(`${target.name}/r1`, await load(target, 50, 'plain'));
        keep(`${target.name}/r1-single`, await load(target, 50, 'plain', 1));
        keep(`${target.name}/r1b-500`, await load(target, 500, 'plain'));
        keep(`${target.name}/r1b-count`, await load(target, 50, 'count'));
        keep(`${target.name}/r1b-category`, await load(target, 50, 'category'));
      }
      settings.log(`R1b round ${round}: Ledgerline search`);
      keep(
        'Ledgerline/r1b-search',
        await measureLoad(
          {
            url: app.url,
            connections: 16,
            warmupSeconds: settings.warmupSeconds,
            seconds: settings.seconds,
            headers: targets[0]!.headers,
            body: JSON.stringify({ query: LIST, variables: { first: 50, filter: { search: 'payee 42' } } }),
            verify: pageOf(50),
          },
          app,
        ),
      );
    }
    const avg = (key: string, pick: (r: LoadResult) => number | undefined) => {
      const list = results.get(key);
      const values = list?.map(pick).filter((v): v is number => v !== undefined);
      return values?.length ? mean(values) : undefined;
    };
    const row = (
      scenario: string,
      metric: string,
      key: string,
      pick: (r: LoadResult) => number | undefined,
      higherIsBetter: boolean,
      baselines: string[],
      target?: string,
    ): Row[] =>
      baselines.map((baseline) => {
        const value = avg(`${baseline}/${key}`, pick);
        return {
          scenario,
          metric,
          ours: avg(`Ledgerline/${key}`, pick) ?? NaN,
          baseline: value === undefined ? undefined : { name: baseline, value },
          higherIsBetter,
          target: baseline === 'PostGraphile 5' ? target : undefined,
        };
      });
    const peers = ['PostGraphile 5', 'bare node+pg'];
    return [
      ...row('R1 list 50', 'req/s, 16 connections', 'r1', (r) => r.requestsPerSecond, true, peers, '≥ 1.0×'),
      ...row('R1 list 50', 'server CPU ms/request', 'r1', (r) => r.cpuMsPerRequest, false, peers, '≤ 1 ms'),
      // autocannon's percentiles are whole milliseconds; at one connection the mean is exact.
      ...row(
        'R1 list 50',
        'mean ms, 1 connection',
        'r1-single',
        (r) => 1000 / r.requestsPerSecond,
        false,
        peers,
      ),
      ...row('R1 list 50', 'RSS MB after load', 'r1', (r) => r.rssMb, false, peers, '< 200 MB'),
      ...row('R1b list 500', 'req/s', 'r1b-500', (r) => r.requestsPerSecond, true, peers, '≥ 1.0×'),
      ...row('R1b list 50 + totalCount', 'req/s', 'r1b-count', (r) => r.requestsPerSecond, true, [
        'PostGraphile 5',
      ]),
      ...row('R1b list 50, one category', 'req/s', 'r1b-category', (r) => r.requestsPerSecond, true, [
        'PostGraphile 5',
      ]),
      {
        scenario: 'R1b list 50, search',
        metric: 'req/s (no peer filters by text)',
        ours: avg('Ledgerline/r1b-search', (r) => r.requestsPerSecond) ?? NaN,
        higherIsBetter: true,
      },
    ];
  } finally {
    for (const service of services.reverse()) await service.stop();
    await dropDatabase(database);
  }
}
