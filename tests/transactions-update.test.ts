/**
 * Updating and deleting transactions through the public API: every field, type changes and their
 * rules, and a long pseudo-random sequence of writes, with every balance checked against the
 * ledger model (balance = openingBalance + effects of the live transactions) after each step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_USER_INPUT, NOT_FOUND } from './helpers/error-codes.js';
import { balances } from './helpers/ledger.js';
import { createTx, ledgerSetup, txCount, UPDATE_TX } from './helpers/ledger-rules.js';
import type { TxType } from './helpers/model/ledger.js';
import { cents, money } from './helpers/model/money.js';
import { DELETE_TRANSACTION } from './helpers/operations.js';
import { prng } from './helpers/random.js';
import { refused, UNKNOWN_ID } from './helpers/refusals.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('updateTransaction and deleteTransaction', () => {
  it('updates any field, keeps fields left out, and keeps every balance = opening + effects', async () => {
    const { client, model, checking, savings, cash, euro, groceries, dining, salary } =
      await ledgerSetup(server);
    const check = async () => expect(await balances(client)).toEqual(model.expected());
    const update = async (id: string, input: Record<string, unknown>) =>
      (await client.data(UPDATE_TX, { id, input })).updateTransaction;
    /** An update that must be refused with `code` (and `field`), changing nothing. */
    const refusedUpdate = (id: string, input: Record<string, unknown>, code: string, field?: string) =>
      refused(client, UPDATE_TX, { id, input }, code, field);

    const t1 = await createTx(client, model, {
      accountId: checking.id,
      type: 'EXPENSE',
      amount: '10.25',
      categoryId: groceries,
      description: 'weekly shop',
      tags: ['food'],
      date: '2026-01-10',
    });
    const t2 = await createTx(client, model, {
      accountId: checking.id,
      type: 'INCOME',
      amount: '1000',
      categoryId: salary,
    });
    const t3 = await createTx(client, model, {
      accountId: checking.id,
      type: 'TRANSFER',
      amount: '50',
      transferAccountId: savings.id,
    });
    await check();

    // Move to another account: everything else stays.
    let t = await update(t1.id, { accountId: cash.id });
    model.txs.get(t1.id)!.accountId = cash.id;
    expect(t).toEqual({ ...t1, account: { id: cash.id } });
    await check();

    // Change the amount only.
    t = await update(t1.id, { amount: '33.3' });
    model.txs.get(t1.id)!.amount = cents('33.3');
    expect(t).toEqual({ ...t1, account: { id: cash.id }, amount: '33.30' });
    await check();

    // Date, description and tags; then clearing description and tags.
    t = await update(t1.id, { date: '2024-02-29', description: ' big shop ', tags: ['a', 'b', 'a'] });
    expect(t).toMatchObject({
      date: '2024-02-29',
      description: 'big shop',
      tags: ['a', 'b'],
      amount: '33.30',
    });
    t = await update(t1.id, { description: null, tags: [] });
    expect(t).toMatchObject({ date: '2024-02-29', description: null, tags: [], category: { id: groceries } });
    await check();

    // EXPENSE -> TRANSFER needs a transferAccountId.
    await refusedUpdate(t1.id, { type: 'TRANSFER' }, BAD_USER_INPUT, 'transferAccountId');
    await refusedUpdate(
      t1.id,
      { type: 'TRANSFER', transferAccountId: cash.id },
      BAD_USER_INPUT,
      'transferAccountId',
    );
    await refusedUpdate(
      t1.id,
      { type: 'TRANSFER', transferAccountId: euro.id },
      BAD_USER_INPUT,
      'transferAccountId',
    );
    await refusedUpdate(
      t1.id,
      { type: 'TRANSFER', transferAccountId: savings.id, categoryId: groceries },
      BAD_USER_INPUT,
      'categoryId',
    );
    // With one, it becomes a transfer and loses its category.
    t = await update(t1.id, { type: 'TRANSFER', transferAccountId: savings.id });
    Object.assign(model.txs.get(t1.id)!, { type: 'TRANSFER', transferAccountId: savings.id });
    expect(t).toMatchObject({
      type: 'TRANSFER',
      account: { id: cash.id },
      transferAccount: { id: savings.id },
      category: null,
      amount: '33.30',
    });
    await check();

    // A transfer cannot get a category, the same account on both sides, or another currency.
    await refusedUpdate(t1.id, { categoryId: groceries }, BAD_USER_INPUT, 'categoryId');
    await refusedUpdate(t1.id, { accountId: savings.id }, BAD_USER_INPUT, 'transferAccountId');
    await refusedUpdate(t1.id, { accountId: euro.id }, BAD_USER_INPUT, 'transferAccountId');

    // Swap both sides of a transfer and change its amount at once.
    t = await update(t1.id, { accountId: savings.id, transferAccountId: checking.id, amount: '7.07' });
    Object.assign(model.txs.get(t1.id)!, {
      accountId: savings.id,
      transferAccountId: checking.id,
      amount: cents('7.07'),
    });
    expect(t).toMatchObject({
      account: { id: savings.id },
      transferAccount: { id: checking.id },
      amount: '7.07',
    });
    await check();

    // TRANSFER -> INCOME clears transferAccount.
    t = await update(t3.id, { type: 'INCOME' });
    Object.assign(model.txs.get(t3.id)!, { type: 'INCOME', transferAccountId: null });
    expect(t).toMatchObject({
      type: 'INCOME',
      transferAccount: null,
      category: null,
      account: { id: checking.id },
    });
    await check();
    await refusedUpdate(t3.id, { transferAccountId: savings.id }, BAD_USER_INPUT, 'transferAccountId');

    // TRANSFER -> EXPENSE with a category and a move in one update.
    t = await update(t1.id, { type: 'EXPENSE', categoryId: dining, accountId: cash.id });
    Object.assign(model.txs.get(t1.id)!, { type: 'EXPENSE', transferAccountId: null, accountId: cash.id });
    expect(t).toMatchObject({
      type: 'EXPENSE',
      transferAccount: null,
      category: { id: dining },
      account: { id: cash.id },
    });
    await check();

    // INCOME -> EXPENSE keeps the INCOME category unless another is given: refused.
    await refusedUpdate(t2.id, { type: 'EXPENSE' }, BAD_USER_INPUT, 'categoryId');
    await refusedUpdate(t2.id, { categoryId: groceries }, BAD_USER_INPUT, 'categoryId');
    t = await update(t2.id, { type: 'EXPENSE', categoryId: groceries, amount: '999.99' });
    Object.assign(model.txs.get(t2.id)!, { type: 'EXPENSE', amount: cents('999.99') });
    expect(t).toMatchObject({ type: 'EXPENSE', category: { id: groceries }, amount: '999.99' });
    await check();
    t = await update(t2.id, { categoryId: null });
    expect(t.category).toBeNull();

    // Bad values, unknown accounts and archived targets on update change nothing.
    await refusedUpdate(t2.id, { date: '2025-02-30' }, BAD_USER_INPUT, 'date');
    await refusedUpdate(t2.id, { amount: '1.005' }, BAD_USER_INPUT, 'amount');
    await refusedUpdate(t2.id, { accountId: UNKNOWN_ID }, NOT_FOUND);
    await refusedUpdate(t2.id, { accountId: 'nope' }, NOT_FOUND);
    await refusedUpdate(t2.id, { categoryId: UNKNOWN_ID }, NOT_FOUND);

    // Moving an EXPENSE to the EUR account is allowed (no transfer involved).
    await update(t2.id, { accountId: euro.id });
    model.txs.get(t2.id)!.accountId = euro.id;
    await check();

    // Delete.
    for (const tx of [t1, t2, t3]) {
      expect((await client.data(DELETE_TRANSACTION, { id: tx.id })).deleteTransaction).toBe(true);
      model.txs.delete(tx.id);
      await check();
      await refused(client, DELETE_TRANSACTION, { id: tx.id }, NOT_FOUND);
      await refusedUpdate(tx.id, { amount: '1' }, NOT_FOUND);
    }
    expect(await txCount(client)).toBe(0);
    // Back to the opening balances.
    expect(await balances(client)).toEqual({
      [checking.id]: '100.50',
      [savings.id]: '-20.00',
      [cash.id]: '0.00',
      [euro.id]: '5.00',
    });
  });

  it('keeps balances right through a long pseudo-random sequence of writes', async () => {
    const { client, model, checking, savings, cash, groceries, dining, salary } = await ledgerSetup(server);
    const accounts = [checking.id, savings.id, cash.id];
    const categoriesOf = { INCOME: [salary], EXPENSE: [groceries, dining] } as const;
    // mulberry32: deterministic, so a failure reproduces.
    const random = prng(0x5eed1234);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const amount = () => money(BigInt(1 + Math.floor(random() * 2_000_000)));
    const types: TxType[] = ['INCOME', 'EXPENSE', 'TRANSFER'];
    const categoryFor = (type: TxType) =>
      type === 'TRANSFER' ? undefined : random() < 0.3 ? null : pick(categoriesOf[type]);
    const categoryOf = new Map<string, string | null>();

    for (let step = 0; step < 80; step++) {
      const ids = [...model.txs.keys()];
      const roll = random();
      if (ids.length === 0 || roll < 0.4) {
        const type = pick(types);
        const accountId = pick(accounts);
        const input: any = { accountId, type, amount: amount(), date: '2026-02-01' };
        if (type === 'TRANSFER') input.transferAccountId = pick(accounts.filter((id) => id !== accountId));
        const categoryId = categoryFor(type);
        if (categoryId) input.categoryId = categoryId;
        const tx = await createTx(client, model, input);
        categoryOf.set(tx.id, categoryId ?? null);
      } else if (roll < 0.85) {
        const id = pick(ids);
        const current = model.txs.get(id)!;
        const input: Record<string, unknown> = {};
        const next = { ...current };
        if (random() < 0.5) {
          const value = amount();
          input.amount = value;
          next.amount = cents(value);
        }
        if (random() < 0.4) {
          next.accountId = pick(accounts);
          input.accountId = next.accountId;
        }
        if (random() < 0.4) {
          next.type = pick(types);
          input.type = next.type;
        }
        if (next.type === 'TRANSFER') {
          if (current.type !== 'TRANSFER' || next.transferAccountId === next.accountId || random() < 0.3) {
            next.transferAccountId = pick(accounts.filter((a) => a !== next.accountId));
            input.transferAccountId = next.transferAccountId;
          }
          categoryOf.set(id, null);
        } else {
          next.transferAccountId = null;
          if (next.type !== current.type) {
            const categoryId = categoryFor(next.type) ?? null;
            input.categoryId = categoryId;
            categoryOf.set(id, categoryId);
          }
        }
        const updated = (await client.data(UPDATE_TX, { id, input })).updateTransaction;
        model.tx(id, next);
        expect(updated).toMatchObject({
          type: next.type,
          amount: money(next.amount),
          account: { id: next.accountId },
          transferAccount: next.transferAccountId ? { id: next.transferAccountId } : null,
          category: categoryOf.get(id) ? { id: categoryOf.get(id) } : null,
        });
      } else if (roll < 0.95) {
        const id = pick(ids);
        await client.data(DELETE_TRANSACTION, { id });
        model.txs.delete(id);
      } else {
        // A refused write in the middle of it all.
        const id = pick(ids);
        await refused(client, UPDATE_TX, { id, input: { amount: '0' } }, BAD_USER_INPUT, 'amount');
      }
      expect(await balances(client), `after step ${step}`).toEqual(model.expected());
    }
    expect(await txCount(client)).toBe(model.txs.size);
  });
});
