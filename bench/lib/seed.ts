import 'reflect-metadata';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config.js';
import { insertRecountedTotals } from '../../src/modules/ledger/verify.js';
import { bootstrap } from '../../src/server.js';
import { gql as request, PASSWORD } from './app.js';
import { databaseExists, dropDatabase, run, sql, urlOf } from './postgres.js';

/** Bump when the seeded shape changes: older templates are rebuilt. */
const SEED_VERSION = 2;

export interface Seeded {
  template: string;
  /** The user with the large history (1,000,000 rows by default) and the small one (10,000). */
  users: { big: SeededUser; small: SeededUser };
}

export interface SeededUser {
  id: string;
  email: string;
  rows: number;
  accountIds: string[];
  expenseCategoryIds: string[];
}

/**
 * The template database the runs copy (`createdb -T`): users registered through the API (bcrypt
 * hashes, starter categories, accounts), then their transactions in one generate_series insert,
 * balances set from the rows, `ledger:verify` clean, VACUUM ANALYZE. Reused while its seed
 * version and sizes match.
 */
export async function seedTemplate(
  sizes: { big: number; small: number },
  log: (line: string) => void,
  options: { rebuild?: boolean } = {},
): Promise<Seeded> {
  const template = `ledgerline_bench_tpl_${sizes.big}_${sizes.small}`;
  if (!options.rebuild && (await databaseExists(template))) {
    const [meta] = await sql<{ version: number; seeded: Seeded }>(
      template,
      'select version, seeded from bench_seed',
    ).catch(() => []);
    if (meta?.version === SEED_VERSION) return meta.seeded;
  }
  log(
    `seeding ${template} (${sizes.big.toLocaleString('en')} + ${sizes.small.toLocaleString('en')} transactions)…`,
  );
  const began = Date.now();
  await dropDatabase(template);
  await sql('postgres', `create database "${template}"`);
  const url = urlOf(template);

  const users = await registerUsers(url);
  const seeded: Seeded = {
    template,
    users: { big: { ...users.big, rows: sizes.big }, small: { ...users.small, rows: sizes.small } },
  };
  await insertTransactions(template, [seeded.users.big, seeded.users.small]);
  await sql(template, 'create table bench_seed (version int not null, seeded jsonb not null)');
  await sql(template, 'insert into bench_seed values ($1, $2)', [SEED_VERSION, JSON.stringify(seeded)]);
  await sql(template, 'vacuum analyze');
  const verify = fileURLToPath(new URL('../../src/scripts/ledger-verify.js', import.meta.url));
  log(
    `  ${(await run(process.execPath, [verify], { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' })).trim()}`,
  );
  log(`  seeded in ${((Date.now() - began) / 1000).toFixed(0)} s`);
  return seeded;
}

/** Two users with accounts, through the API: what a real sign-up creates. */
async function registerUsers(databaseUrl: string) {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    BCRYPT_COST: '4',
    DATABASE_URL: databaseUrl,
  });
  const server = await bootstrap({ config });
  const gql = <T>(query: string, variables: object = {}, token?: string) =>
    request<T>(server.url, query, variables, token);
  const user = async (email: string, accounts: string[]) => {
    const { register } = await gql<{ register: { accessToken: string; user: { id: string } } }>(
      'mutation ($i: RegisterInput!) { register(input: $i) { accessToken user { id } } }',
      { i: { email, password: PASSWORD } },
    );
    const token = register.accessToken;
    const accountIds: string[] = [];
    for (const name of accounts) {
      const { createAccount } = await gql<{ createAccount: { id: string } }>(
        'mutation ($i: CreateAccountInput!) { createAccount(input: $i) { id } }',
        { i: { name, type: 'CHECKING', openingBalance: '1000.00' } },
        token,
      );
      accountIds.push(createAccount.id);
    }
    const { categories } = await gql<{ categories: { id: string }[] }>(
      '{ categories(kind: EXPENSE) { id } }',
      {},
      token,
    );
    return { id: register.user.id, email, accountIds, expenseCategoryIds: categories.map((c) => c.id) };
  };
  try {
    return {
      big: await user('bench-big@example.com', ['Checking', 'Savings', 'Card']),
      small: await user('bench-small@example.com', ['Checking', 'Savings']),
    };
  } finally {
    await server.close();
  }
}

/**
 * Each user's rows in one insert: mostly EXPENSE, every 20th INCOME, every 50th a TRANSFER between
 * their own accounts; dates over the last five years, amounts 0.01..999.99. The secondary indexes
 * are rebuilt after the insert (about twice as fast as maintaining them row by row); balances and
 * running totals are then set from the rows.
 */
async function insertTransactions(database: string, users: SeededUser[]): Promise<void> {
  const indexes = await sql<{ indexname: string; indexdef: string }>(
    database,
    `select indexname, indexdef from pg_indexes where tablename = 'transactions' and indexname <> 'transactions_pkey'`,
  );
  for (const index of indexes) await sql(database, `drop index "${index.indexname}"`);
  for (const user of users) {
    await sql(
      database,
      `with p as (
         select $1::uuid as u, $2::uuid[] as acc, $3::uuid[] as exp,
                array(select id from categories where user_id = $1 and kind = 'INCOME' order by id) as inc
       )
       insert into transactions (id, user_id, account_id, transfer_account_id, category_id, type, amount, date,
                                 description, tags, created_at, updated_at)
       select gen_random_uuid(), p.u,
              p.acc[1 + n % cardinality(p.acc)],
              case when n % 50 = 1 then p.acc[1 + (n + 1) % cardinality(p.acc)] end,
              case when n % 50 = 1 then null
                   when n % 20 = 0 then p.inc[1 + n % cardinality(p.inc)]
                   else p.exp[1 + n % cardinality(p.exp)] end,
              (case when n % 50 = 1 then 'TRANSFER' when n % 20 = 0 then 'INCOME' else 'EXPENSE' end)::transaction_type,
              ((n::bigint * 7919) % 99999 + 1) / 100.0,
              current_date - (n % 1826),
              'Payee ' || (n % 997),
              case when n % 10 = 0 then array['bench'] else '{}' end,
              now() - make_interval(secs => n), now() - make_interval(secs => n)
       from p, generate_series(1, $4) as n`,
      [user.id, user.accountIds, user.expenseCategoryIds, user.rows],
    );
  }
  for (const index of indexes) await sql(database, index.indexdef);
  await sql(
    database,
    `update accounts a set balance = a.opening_balance
       + coalesce((select sum(case when t.type = 'INCOME' then t.amount else -t.amount end)
                   from transactions t where t.account_id = a.id), 0)
       + coalesce((select sum(t.amount) from transactions t where t.transfer_account_id = a.id), 0)`,
  );
  // The running totals, as the ledger writer would have kept them (ledger:verify checks both).
  await sql(database, insertRecountedTotals('true'));
}
