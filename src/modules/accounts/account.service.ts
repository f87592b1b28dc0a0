import type { EntityManager } from '@mikro-orm/postgresql';
import { findOwned } from '../../db/find-owned.js';
import { canonicalId, isUuid } from '../../db/ids.js';
import { badInput, conflict, notFound } from '../../errors/app-error.js';
import { assertBelowLimit } from '../../limits/user-limits.js';
import { formatMoney } from '../../money/money.js';
import { lockAccounts } from '../ledger/balances.js';
import { inRetryingTransaction } from '../../db/retrying-transaction.js';
import { User } from '../users/user.entity.js';
import { Account } from './account.entity.js';
import type { CreateAccountInput, UpdateAccountInput } from './account.inputs.js';

export class AccountService {
  constructor(
    private readonly em: EntityManager,
    private readonly userId: string,
  ) {}

  list(includeArchived: boolean): Promise<Account[]> {
    return this.em.find(
      Account,
      { user: this.userId, ...(includeArchived ? {} : { archived: false }) },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
  }

  /** The caller's account; another user's id answers exactly like an unknown one. */
  async get(id: string): Promise<Account> {
    return findOwned(this.em, Account, id, this.userId, 'Account');
  }

  /** Refused past `maxAccounts` accounts (MAX_ACCOUNTS). */
  async create(input: CreateAccountInput, maxAccounts: number): Promise<Account> {
    return this.em.transactional(async (em) => {
      await assertBelowLimit(em, this.userId, 'accounts', maxAccounts);
      const user = await em.findOneOrFail(User, { id: this.userId });
      const openingBalance = formatMoney(input.openingBalance ?? '0');
      // A new account has no transactions yet; from here on only ledger/balances.ts moves it.
      return em.create(Account, {
        user,
        name: input.name.trim(),
        type: input.type,
        currency: (input.currency ?? user.currency).toUpperCase(),
        openingBalance,
        balance: openingBalance,
      });
    });
  }

  async update(id: string, input: UpdateAccountInput): Promise<Account> {
    const account = await this.get(id);
    if (input.name != null) account.name = input.name.trim();
    if (input.type != null) account.type = input.type;
    if (input.archived != null) account.archived = input.archived;
    if (!account.name) throw badInput('name', 'name must not be empty');
    await this.em.flush();
    return account;
  }

  /** Refused while any transaction references the account, on either side of a transfer. */
  async delete(id: string): Promise<boolean> {
    await inRetryingTransaction(this.em, async (em) => {
      // The lock makes a concurrent createTransaction on this account wait for the answer.
      if (!isUuid(id) || !(await lockAccounts(em, this.userId, [id])).has(canonicalId(id))) {
        throw notFound('Account');
      }
      const [row] = await em.execute<{ count: string }[]>(
        'select count(*) as count from transactions where account_id = ? or transfer_account_id = ?',
        [id, id],
      );
      const referenced = Number(row?.count);
      if (referenced > 0) throw conflict(`The account has ${referenced} transaction(s); archive it instead`);
      await em.nativeDelete(Account, { id, user: this.userId });
    });
    return true;
  }
}
