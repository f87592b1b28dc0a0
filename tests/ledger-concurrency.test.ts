import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBalanceDrift, findTotalsDrift } from '../src/modules/ledger/verify.js';
import type { GraphQLResponse } from './helpers/graphql.js';
import { categoryId, createAccount } from './helpers/ledger.js';
import { accountStates, BALANCE_TX_FIELDS, listAllTransactions } from './helpers/ledger-check.js';
import { expectedBalances, stateOf, type TxState, type TxType } from './helpers/model/ledger.js';
import { cents, money } from './helpers/model/money.js';
import { createTransactionWith, DELETE_TRANSACTION, updateTransactionWith } from './helpers/operations.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { registerUser } from './helpers/users.js';
import { prng } from './helpers/random.js';
import { scaled, timeoutFor } from './helpers/scale.js';

/**
 * The contract: Account.balance = openingBalance + effects of all its live transactions, always,
 * under any concurrency. These tests fire many writes at once over HTTP, then recompute every
 * balance in the test (BigInt cents) from the transactions the API lists and compare.
 */

const TOTAL_OPS = scaled(2_000);
const CONCURRENCY = 50;
const SEED = Number(process.env.LEDGER_CONCURRENCY_SEED ?? 20260115);

const CREATE = createTransactionWith(BALANCE_TX_FIELDS);
const UPDATE = updateTransactionWith(BALANCE_TX_FIELDS);
const DELETE = DELETE_TRANSACTION;

/** A random positive amount, written as "123.45", "123.4" or "123" (all valid Decimal inputs). */
function randomAmount(random: () => number): { input: string; cents: bigint } {
  const value = BigInt(1 + Math.floor(random() * 2_500_000)); // 0.01 .. 25000.00
  const style = random();
  if (style < 0.1) {
    const whole = value / 100n || 1n;
    return { input: whole.toString(), cents: whole * 100n };
  }
  if (style < 0.2 && value % 10n === 0n) {
    return { input: `${value / 100n}.${(value % 100n) / 10n}`, cents: value };
  }
  return { input: money(value), cents: value };
}

const codeOf = (response: GraphQLResponse): string =>
  String(response.errors?.[0]?.extensions?.code ?? 'NO_CODE');

/** Runs every task with at most `limit` in flight: `limit` async loops pulling from one list. */
async function pool<T>(items: T[], limit: number, run: (item: T, index: number) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await run(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

// ---------------------------------------------------------------- the tests

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('ledger under concurrency', () => {
  it(
    `keeps every balance exact through ${TOTAL_OPS} mixed writes at concurrency ${CONCURRENCY}`,
    async () => {
      const random = prng(SEED);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

      const user = await registerUser(server.client());
      const client = server.client(user.accessToken);
      const openingInputs = ['1500.25', '-732.4', '0.07'];
      const accounts: string[] = [];
      const openings = new Map<string, bigint>();
      for (const [i, opening] of openingInputs.entries()) {
        const account = await createAccount(client, { name: `Account ${i}`, openingBalance: opening });
        accounts.push(account.id);
        openings.set(account.id, cents(opening));
      }
      const incomeCategory = await categoryId(client, 'Salary');
      const expenseCategory = await categoryId(client, 'Groceries');
      const categoryFor = (type: TxType): string | null =>
        type === 'TRANSFER'
          ? null
          : random() < 0.5
            ? null
            : type === 'INCOME'
              ? incomeCategory
              : expenseCategory;
      const otherAccount = (...not: (string | null)[]) => pick(accounts.filter((id) => !not.includes(id)));

      // The client's record: the state of every transaction as the server last returned it.
      const live = new Map<string, TxState>();
      const lastKnown = new Map<string, TxState>();
      const deleted = new Set<string>();
      // At most one update per transaction in flight, so "the last successful response wins" is
      // well defined. Deletes may race anything: deleted is final, whichever response comes last.
      const updating = new Set<string>();
      const failures: { op: string; id?: string; code: string; message?: string }[] = [];
      const counts = { create: 0, update: 0, delete: 0, notFound: 0 };

      const record = (op: string, response: GraphQLResponse, id?: string) => {
        failures.push({ op, id, code: codeOf(response), message: response.errors?.[0]?.message });
        if (codeOf(response) === 'NOT_FOUND') counts.notFound++;
      };

      const create = async () => {
        counts.create++;
        const type = pick<TxType>(['INCOME', 'EXPENSE', 'TRANSFER']);
        const accountId = pick(accounts);
        const amount = randomAmount(random);
        const expected: TxState = {
          type,
          amount: money(amount.cents),
          accountId,
          transferAccountId: type === 'TRANSFER' ? otherAccount(accountId) : null,
          categoryId: categoryFor(type),
        };
        const input = {
          type,
          accountId,
          amount: amount.input,
          date: '2026-01-15',
          ...(expected.transferAccountId ? { transferAccountId: expected.transferAccountId } : {}),
          ...(expected.categoryId ? { categoryId: expected.categoryId } : {}),
        };
        const response = await client.request(CREATE, { input });
        if (response.errors?.length || !response.data) return record('create', response);
        const tx = response.data.createTransaction;
        expect(stateOf(tx), `createTransaction ${JSON.stringify(input)}`).toEqual(expected);
        live.set(tx.id, stateOf(tx));
        lastKnown.set(tx.id, stateOf(tx));
      };

      /** The update to send to a transaction now in `current`, and the state it must produce. */
      const planUpdate = (current: TxState): { input: Record<string, unknown>; expected: TxState } => {
        const input: Record<string, unknown> = {};
        const next: TxState = { ...current };
        const kind = Math.floor(random() * 5);
        if (kind === 0 || random() < 0.3) {
          const amount = randomAmount(random);
          input.amount = amount.input;
          next.amount = money(amount.cents);
        }
        if (kind === 1) {
          // Move to another account (a transfer keeps its other side, so pick a third account).
          next.accountId = otherAccount(current.accountId, current.transferAccountId);
          input.accountId = next.accountId;
        }
        if (kind === 2) {
          // To INCOME or EXPENSE (from TRANSFER this clears transferAccount), maybe moving too.
          next.type =
            current.type === 'INCOME'
              ? 'EXPENSE'
              : current.type === 'EXPENSE'
                ? 'INCOME'
                : pick(['INCOME', 'EXPENSE']);
          input.type = next.type;
          next.transferAccountId = null;
          if (random() < 0.3) {
            next.accountId = otherAccount(current.accountId);
            input.accountId = next.accountId;
          }
          // The old category belongs to the other kind: name a fitting one or none explicitly.
          next.categoryId = categoryFor(next.type);
          if (current.type !== 'TRANSFER' || next.categoryId !== null) input.categoryId = next.categoryId;
        }
        if (kind === 3) {
          // To TRANSFER (from INCOME/EXPENSE: needs transferAccountId, clears the category), or a
          // transfer to a new pair of accounts.
          next.type = 'TRANSFER';
          input.type = 'TRANSFER';
          if (random() < 0.4) {
            next.accountId = pick(accounts);
            input.accountId = next.accountId;
          }
          next.transferAccountId = otherAccount(next.accountId);
          input.transferAccountId = next.transferAccountId;
          next.categoryId = null;
        }
        if (kind === 4 && Object.keys(input).length === 0) {
          const amount = randomAmount(random);
          input.amount = amount.input;
          next.amount = money(amount.cents);
        }
        return { input, expected: next };
      };

      const update = async () => {
        const candidates = [...live.keys()].filter((id) => !updating.has(id));
        if (candidates.length === 0) return create();
        counts.update++;
        // Now and then an id already deleted: NOT_FOUND is the only right answer then.
        const stale = deleted.size > 0 && random() < 0.05;
        const id = stale ? pick([...deleted]) : pick(candidates);
        const plan = planUpdate(lastKnown.get(id)!);
        updating.add(id);
        try {
          const response = await client.request(UPDATE, { id, input: plan.input });
          if (response.errors?.length || !response.data) return record('update', response, id);
          if (stale) failures.push({ op: 'update of a deleted transaction succeeded', id, code: 'NONE' });
          const tx = response.data.updateTransaction;
          expect(stateOf(tx), `updateTransaction ${JSON.stringify(plan.input)}`).toEqual(plan.expected);
          lastKnown.set(id, stateOf(tx));
          // A delete that raced this update and answered first stays final.
          if (!deleted.has(id)) live.set(id, stateOf(tx));
        } finally {
          updating.delete(id);
        }
      };

      const remove = async () => {
        if (live.size === 0) return create();
        counts.delete++;
        const staleTarget = deleted.size > 0 && random() < 0.05;
        const id = staleTarget ? pick([...deleted]) : pick([...live.keys()]);
        const response = await client.request(DELETE, { id });
        if (response.errors?.length || !response.data) return record('delete', response, id);
        expect(response.data.deleteTransaction).toBe(true);
        live.delete(id);
        deleted.add(id);
      };

      const ops = Array.from({ length: TOTAL_OPS }, () => {
        const r = random();
        return r < 0.45 ? create : r < 0.85 ? update : remove;
      });
      const started = Date.now();
      await pool(ops, CONCURRENCY, (op) => op());
      const elapsed = Date.now() - started;

      // No request may fail but with NOT_FOUND, and only on a transaction that ended up deleted.
      expect(failures.filter((f) => f.code === 'INTERNAL_SERVER_ERROR')).toEqual([]);
      expect(failures.filter((f) => f.code !== 'NOT_FOUND' || !f.id || !deleted.has(f.id))).toEqual([]);

      // What the server lists is what the client recorded, transaction by transaction.
      const listed = await listAllTransactions(client);
      expect(Object.fromEntries(listed)).toEqual(Object.fromEntries(live));

      // Balances recomputed here from the listed transactions, to the cent.
      const expected = expectedBalances(openings, [...listed.values()]);
      const actual = await accountStates(client);
      expect(actual.size).toBe(accounts.length);
      for (const id of accounts) {
        expect(actual.get(id)?.openingBalance, `openingBalance of ${id}`).toBe(money(openings.get(id)!));
        expect(actual.get(id)?.balance, `balance of ${id}`).toBe(money(expected.get(id)!));
      }
      expect(await findBalanceDrift(server.app.orm.em.fork())).toEqual([]);
      expect(await findTotalsDrift(server.app.orm.em.fork())).toEqual([]);

      console.info(
        `[ledger-concurrency] ${TOTAL_OPS} ops at concurrency ${CONCURRENCY} in ${elapsed} ms ` +
          `(${server.config.databaseUrl ? 'PostgreSQL' : 'PGlite'}, seed ${SEED}): ` +
          `${counts.create} creates, ${counts.update} updates, ${counts.delete} deletes, ` +
          `${counts.notFound} NOT_FOUND, ${live.size} live at the end`,
      );
    },
    timeoutFor(TOTAL_OPS, 100),
  );

  it(
    'settles 50 simultaneous transfers in both directions between two accounts',
    async () => {
      const random = prng(SEED + 1);
      const user = await registerUser(server.client());
      const client = server.client(user.accessToken);
      const openingA = '250.5';
      const openingB = '-99.99';
      const a = await createAccount(client, { name: 'A', openingBalance: openingA });
      const b = await createAccount(client, { name: 'B', type: 'SAVINGS', openingBalance: openingB });
      const transfers = Array.from({ length: 50 }, (_, i) => {
        const [from, to] = i % 2 === 0 ? [a.id, b.id] : [b.id, a.id];
        return { from, to, amount: randomAmount(random) };
      });

      const responses = await Promise.all(
        transfers.map((t) =>
          client.request(CREATE, {
            input: {
              type: 'TRANSFER',
              accountId: t.from,
              transferAccountId: t.to,
              amount: t.amount.input,
              date: '2026-02-01',
            },
          }),
        ),
      );
      expect(responses.flatMap((r) => r.errors ?? [])).toEqual([]);
      for (const [i, response] of responses.entries()) {
        expect(stateOf(response.data!.createTransaction)).toEqual({
          type: 'TRANSFER',
          amount: money(transfers[i]!.amount.cents),
          accountId: transfers[i]!.from,
          transferAccountId: transfers[i]!.to,
          categoryId: null,
        });
      }

      let expectedA = cents(openingA);
      let expectedB = cents(openingB);
      for (const t of transfers) {
        const delta = t.from === a.id ? -t.amount.cents : t.amount.cents;
        expectedA += delta;
        expectedB -= delta;
      }
      const actual = await accountStates(client);
      expect(actual.get(a.id)?.balance).toBe(money(expectedA));
      expect(actual.get(b.id)?.balance).toBe(money(expectedB));
      // The same, recomputed from what the API lists.
      const listed = await listAllTransactions(client);
      expect(listed.size).toBe(50);
      const recomputed = expectedBalances(
        new Map([
          [a.id, cents(openingA)],
          [b.id, cents(openingB)],
        ]),
        listed.values(),
      );
      expect(money(recomputed.get(a.id)!)).toBe(money(expectedA));
      expect(money(recomputed.get(b.id)!)).toBe(money(expectedB));
      expect(await findBalanceDrift(server.app.orm.em.fork(), user.id)).toEqual([]);
      expect(await findTotalsDrift(server.app.orm.em.fork(), user.id)).toEqual([]);
    },
    timeoutFor(100, 1000),
  );
});
