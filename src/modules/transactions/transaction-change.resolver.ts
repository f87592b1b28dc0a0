import { Authorized, Ctx, FieldResolver, Resolver, Root, Subscription } from 'type-graphql';
import { CurrentUser, signedInUser } from '../../auth/auth-checker.js';
import { refreshForEvent, type AuthUser, type Context } from '../../context.js';
import { isUuid } from '../../db/ids.js';
import type { TransactionChangedEvent } from '../../pubsub/pubsub.js';
import { Account } from '../accounts/account.entity.js';
import { accountLoader } from '../accounts/account.loader.js';
import type { AccountRow } from '../accounts/account-row.js';
import {
  TransactionChange,
  TransactionChangeKind,
  changeRootOf,
  type TransactionChangeRoot,
} from './transaction-change.type.js';
import { Transaction } from './transaction.entity.js';
import {
  TRANSACTION_COLUMNS,
  toTransactionRow,
  type TransactionColumns,
  type TransactionRow,
} from './transaction-row.js';

/**
 * Subscription.transactionChanged: the caller's own writes of transactions, from every server
 * instance (each user has a topic of their own, as for budgetAlert). The event carries ids only;
 * the transaction and the balances are read fresh, within the caller's data, for each event and
 * only when selected.
 */
@Authorized()
@Resolver(() => TransactionChange)
export class TransactionChangeResolver {
  @Subscription(() => TransactionChange, {
    description:
      "Every committed write of the caller's transactions (createTransaction, updateTransaction, deleteTransaction, removeTransaction, applyRules; commitImport and undoImport as one event each), by any client and through any server instance, typically within a second; an idempotent replay of createTransaction wrote nothing and sends nothing. Rides the same WebSocket as budgetAlert, and ends with the sign-in.",
    topics: 'TRANSACTION_CHANGED',
    topicId: ({ context }) => signedInUser(context as Context).id,
  })
  transactionChanged(@Root() event: TransactionChangedEvent, @Ctx() ctx: Context): TransactionChangeRoot {
    // A fresh unit of work and fresh loaders: nothing read for an earlier event is reused.
    refreshForEvent(ctx);
    return changeRootOf(event);
  }

  @FieldResolver(() => Transaction, {
    nullable: true,
    description:
      'The transaction as it is now; null when DELETED (then see id), for an import, or when it has been deleted since (a DELETED event follows).',
  })
  async transaction(
    @Root() change: TransactionChangeRoot,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<TransactionRow | null> {
    if (change.kind !== TransactionChangeKind.CREATED && change.kind !== TransactionChangeKind.UPDATED)
      return null;
    if (!isUuid(change.id)) return null;
    const [row] = await ctx.em.execute<TransactionColumns[]>(
      `select ${TRANSACTION_COLUMNS} from transactions t where t.id = ? and t.user_id = ?`,
      [change.id, user.id],
    );
    return row ? toTransactionRow(row) : null;
  }

  @FieldResolver(() => [Account], {
    description:
      'Every account whose balance the write moved (a move between accounts includes the account it left), with its balance as it is now: as Transaction.affectedAccounts on the result of a write. Empty when the write moved no balance (e.g. only the description changed).',
  })
  async affectedAccounts(@Root() change: TransactionChangeRoot, @Ctx() ctx: Context): Promise<AccountRow[]> {
    const loader = accountLoader(ctx);
    const accounts = await Promise.all(change.accountIds.map((id) => loader.loadOptional(id)));
    // An account deleted since has no balance to show.
    return accounts.filter((account) => account !== null);
  }
}
