import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBalanceDrift, findTotalsDrift } from '../src/modules/ledger/verify.js';
import type { GraphQLClient, GraphQLResponse } from './helpers/graphql.js';
import { accountStates, BALANCE_TX_FIELDS, listAllTransactions } from './helpers/ledger-check.js';
import { expectedBalances, stateOf, type TxState, type TxType } from './helpers/model/ledger.js';
import { money, moneyInput } from './helpers/model/money.js';
import {
  CREATE_ACCOUNT,
  createTransactionWith,
  DELETE_TRANSACTION,
  updateTransactionWith,
} from './helpers/operations.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { registerUser } from './helpers/users.js';
import { scaled, timeoutFor } from './helpers/scale.js';

/**
 * Model-based property test: random sequences of ledger operations run against one server, each
 * run as a new user, and after every operation the accounts the API lists are compared with a
 * small in-memory model (BigInt cents). Where the model says an operation must be refused, the
 * error code is checked, and the next comparison shows the balances did not move.
 *
 * Rules the model follows (the contract, plus the brief for archived accounts):
 * - INCOME +amount on account; EXPENSE -amount; TRANSFER -amount on account, +amount on
 *   transferAccount; balance = openingBalance + effects of live transactions.
 * - A TRANSFER needs a transferAccountId that is another account: else BAD_USER_INPUT.
 * - Changing type away from TRANSFER clears transferAccount; changing it to TRANSFER needs
 *   transferAccountId (BAD_USER_INPUT without one); a TRANSFER updated without one keeps its own.
 * - An archived account takes no new transactions (BAD_USER_INPUT), also not by an update moving
 *   a transaction onto it; transactions already on it may still be edited or deleted.
 * - A deleted transaction is NOT_FOUND for update and delete.
 */

const SEED = Number(process.env.LEDGER_PROPERTY_SEED ?? 424_242);
const RUNS = Number(process.env.LEDGER_PROPERTY_RUNS ?? scaled(15));

// ---------------------------------------------------------------- operations

type Op =
  | { kind: 'createAccount'; opening: bigint; style: number }
  | {
      kind: 'create';
      type: TxType;
      account: number;
      transfer: number;
      amount: bigint;
      style: number;
    }
  | {
      kind: 'update';
      tx: number;
      type?: TxType;
      account?: number;
      transfer?: number;
      amount?: bigint;
      style: number;
    }
  | { kind: 'delete'; tx: number }
  | { kind: 'archive'; account: number; archived: boolean };

const txType = fc.constantFrom<TxType>('INCOME', 'EXPENSE', 'TRANSFER');
const amount = fc.bigInt({ min: 1n, max: 10_000_000n }); // 0.01 .. 100000.00
const opening = fc.bigInt({ min: -10_000_000n, max: 10_000_000n });
const index = fc.nat({ max: 99 }); // taken modulo the number of accounts or transactions
const style = fc.nat({ max: 2 });
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('createAccount' as const), opening, style }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      type: txType,
      account: index,
      transfer: index,
      amount,
      style,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('update' as const),
      tx: index,
      type: optional(txType),
      account: optional(index),
      transfer: optional(index),
      amount: optional(amount),
      style,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), tx: index }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('archive' as const),
      account: index,
      archived: fc.oneof(
        { weight: 3, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
    }),
  },
);

// ---------------------------------------------------------------- the model

interface ModelAccount {
  id: string;
  opening: bigint;
  archived: boolean;
}

interface ModelTx {
  id: string;
  state: TxState;
  deleted: boolean;
}

type Outcome = { ok: true; state?: TxState } | { ok: false; code: string; fields?: string[] };

class Model {
  readonly accounts: ModelAccount[] = [];
  /** In creation order, deleted ones included: ops pick by index, so they may hit a deleted one. */
  readonly txs: ModelTx[] = [];

  account(i: number): ModelAccount {
    return this.accounts[i % this.accounts.length]!;
  }

  byId(id: string): ModelAccount {
    return this.accounts.find((a) => a.id === id)!;
  }

  balances(): Map<string, bigint> {
    return expectedBalances(
      new Map(this.accounts.map((a) => [a.id, a.opening])),
      this.txs.filter((t) => !t.deleted).map((t) => t.state),
    );
  }

  touchesArchived(state: TxState): boolean {
    return [state.accountId, state.transferAccountId].some((id) => id !== null && this.byId(id).archived);
  }

  /** What a create or update producing `next` (from `before`, if an update) must answer. */
  judge(next: TxState, before: TxState | null): Outcome {
    // Every field at fault: when there are several, the server may name any one of them.
    const faults: string[] = [];
    if (next.type === 'TRANSFER') {
      if (next.transferAccountId === null || next.transferAccountId === next.accountId) {
        faults.push('transferAccountId');
      }
    }
    const previous = new Set(before ? [before.accountId, before.transferAccountId] : []);
    const sides = [
      ['accountId', next.accountId],
      ['transferAccountId', next.transferAccountId],
    ] as const;
    for (const [field, id] of sides) {
      if (id !== null && this.byId(id).archived && !previous.has(id)) faults.push(field);
    }
    if (faults.length > 0) return { ok: false, code: 'BAD_USER_INPUT', fields: faults };
    return { ok: true, state: next };
  }
}

function describeOp(op: Op): string {
  return JSON.stringify(op, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value));
}

const codeOf = (response: GraphQLResponse): string | undefined =>
  response.errors?.[0]?.extensions?.code as string | undefined;

// ---------------------------------------------------------------- running a sequence

const ARCHIVE = `mutation ($id: ID!, $archived: Boolean!) {
  updateAccount(id: $id, input: { archived: $archived }) { id archived balance }
}`;
const CREATE = createTransactionWith(BALANCE_TX_FIELDS);
const UPDATE = updateTransactionWith(BALANCE_TX_FIELDS);
const DELETE = DELETE_TRANSACTION;

function expectOutcome(response: GraphQLResponse, outcome: Outcome, what: string): any {
  if (outcome.ok) {
    expect(response.errors, `${what} must succeed`).toBeUndefined();
    return response.data;
  }
  expect(response.data ?? null, `${what} must fail`).toBeNull();
  expect(codeOf(response), `${what}: error code`).toBe(outcome.code);
  if (outcome.fields) {
    expect(outcome.fields, `${what}: extensions.field`).toContain(response.errors?.[0]?.extensions?.field);
  }
  return undefined;
}

/** Runs one op against the server and the model; answers how it went, for the statistics. */
async function apply(client: GraphQLClient, model: Model, op: Op, accountNo: () => number): Promise<string> {
  const what = describeOp(op);
  switch (op.kind) {
    case 'createAccount': {
      const data = await client.data(CREATE_ACCOUNT, {
        input: {
          name: `Account ${accountNo()}`,
          type: 'CHECKING',
          openingBalance: moneyInput(op.opening, op.style),
        },
      });
      expect(data.createAccount, what).toMatchObject({
        openingBalance: money(op.opening),
        balance: money(op.opening),
        archived: false,
      });
      model.accounts.push({ id: data.createAccount.id, opening: op.opening, archived: false });
      return 'ok';
    }
    case 'archive': {
      const account = model.account(op.account);
      const data = await client.data(ARCHIVE, { id: account.id, archived: op.archived });
      expect(data.updateAccount.archived, what).toBe(op.archived);
      account.archived = op.archived;
      return 'ok';
    }
    case 'create': {
      const accountId = model.account(op.account).id;
      const transferAccountId = op.type === 'TRANSFER' ? model.account(op.transfer).id : null;
      const next: TxState = {
        type: op.type,
        amount: money(op.amount),
        accountId,
        transferAccountId,
        categoryId: null,
      };
      const input = {
        type: op.type,
        accountId,
        amount: moneyInput(op.amount, op.style),
        date: '2026-03-10',
        ...(transferAccountId ? { transferAccountId } : {}),
      };
      const outcome = model.judge(next, null);
      const data = expectOutcome(await client.request(CREATE, { input }), outcome, what);
      if (!outcome.ok) return outcome.code;
      expect(stateOf(data.createTransaction), what).toEqual(outcome.state);
      model.txs.push({ id: data.createTransaction.id, state: outcome.state!, deleted: false });
      return 'ok';
    }
    case 'update': {
      if (model.txs.length === 0) return 'skipped';
      const tx = model.txs[op.tx % model.txs.length]!;
      const current = tx.state;
      const type = op.type ?? current.type;
      const input: Record<string, unknown> = {};
      const next: TxState = { ...current, type };
      if (op.type !== undefined) input.type = op.type;
      if (op.amount !== undefined) {
        input.amount = moneyInput(op.amount, op.style);
        next.amount = money(op.amount);
      }
      if (op.account !== undefined) {
        next.accountId = model.account(op.account).id;
        input.accountId = next.accountId;
      }
      if (type === 'TRANSFER') {
        if (op.transfer !== undefined) {
          next.transferAccountId = model.account(op.transfer).id;
          input.transferAccountId = next.transferAccountId;
        } else if (current.type !== 'TRANSFER') {
          next.transferAccountId = null; // must be refused: a new TRANSFER needs one
        }
      } else {
        next.transferAccountId = null;
      }
      const outcome: Outcome = tx.deleted ? { ok: false, code: 'NOT_FOUND' } : model.judge(next, current);
      const data = expectOutcome(await client.request(UPDATE, { id: tx.id, input }), outcome, what);
      const label = `${current.type}->${type}${model.touchesArchived(current) ? ' on archived' : ''}`;
      if (!outcome.ok) return `${outcome.code} ${label}`;
      expect(stateOf(data.updateTransaction), what).toEqual(outcome.state);
      tx.state = outcome.state!;
      return `ok ${label}`;
    }
    case 'delete': {
      if (model.txs.length === 0) return 'skipped';
      const tx = model.txs[op.tx % model.txs.length]!;
      const outcome: Outcome = tx.deleted ? { ok: false, code: 'NOT_FOUND' } : { ok: true };
      const data = expectOutcome(await client.request(DELETE, { id: tx.id }), outcome, what);
      if (!outcome.ok) return outcome.code;
      expect(data.deleteTransaction, what).toBe(true);
      tx.deleted = true;
      return model.touchesArchived(tx.state) ? 'ok on archived' : 'ok';
    }
  }
}

/** The accounts the API lists must be exactly the model's, to the cent. */
async function expectMatchesModel(client: GraphQLClient, model: Model, when: string): Promise<void> {
  const expected = model.balances();
  const actual = await accountStates(client);
  expect(Object.fromEntries(actual), when).toEqual(
    Object.fromEntries(
      model.accounts.map((a) => [
        a.id,
        { openingBalance: money(a.opening), balance: money(expected.get(a.id)!), archived: a.archived },
      ]),
    ),
  );
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('ledger model', () => {
  it(
    'matches an in-memory model of balances after every operation',
    async () => {
      let runs = 0;
      let opsRun = 0;
      const outcomes: Record<string, number> = {};
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ opening, style }), { minLength: 2, maxLength: 3 }),
          fc.array(opArb, { minLength: 15, maxLength: 30 }),
          async (initialAccounts, ops) => {
            runs++;
            const user = await registerUser(server.client());
            const client = server.client(user.accessToken);
            const model = new Model();
            let accountCount = 0;
            const accountNo = () => ++accountCount;
            for (const account of initialAccounts) {
              await apply(client, model, { kind: 'createAccount', ...account }, accountNo);
            }
            await expectMatchesModel(client, model, 'after the initial accounts');

            for (const [step, op] of ops.entries()) {
              const outcome = await apply(client, model, op, accountNo);
              opsRun++;
              outcomes[`${op.kind} ${outcome}`] = (outcomes[`${op.kind} ${outcome}`] ?? 0) + 1;
              await expectMatchesModel(client, model, `after step ${step}: ${describeOp(op)}`);
            }

            // The transactions the API lists are the model's live ones, and the stored balances
            // agree with a recomputation in SQL.
            const listed = await listAllTransactions(client);
            expect(Object.fromEntries(listed)).toEqual(
              Object.fromEntries(model.txs.filter((t) => !t.deleted).map((t) => [t.id, t.state])),
            );
            expect(await findBalanceDrift(server.app.orm.em.fork(), user.id)).toEqual([]);
            expect(await findTotalsDrift(server.app.orm.em.fork(), user.id)).toEqual([]);
          },
        ),
        { seed: SEED, numRuns: RUNS },
      );
      console.info(
        `[ledger-property] ${runs} runs, ${opsRun} ops in ${Date.now() - started} ms ` +
          `(${server.config.databaseUrl ? 'PostgreSQL' : 'PGlite'}, seed ${SEED}); ` +
          `outcomes: ${JSON.stringify(outcomes)}`,
      );
    },
    timeoutFor(RUNS, 10_000),
  );
});
