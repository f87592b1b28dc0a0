import { canonicalId } from '../../db/ids.js';
import type { GraphQLResolveInfo } from 'graphql';
import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Info,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { joinedSelection } from './transaction-selection.js';
import { CurrentUser } from '../../auth/auth-checker.js';
import { ownedRowLoader, type AuthUser, type Context } from '../../context.js';
import { Account } from '../accounts/account.entity.js';
import { Category } from '../categories/category.entity.js';
import { Transaction } from './transaction.entity.js';
import { CreateTransactionInput, UpdateTransactionInput } from './transaction.inputs.js';
import { DEFAULT_PAGE_SIZE, DEFAULT_SORT, MAX_PAGE_SIZE, TransactionsArgs } from './transaction.args.js';
import {
  TransactionConnection,
  TransactionSort,
  type TransactionSortField,
} from './transaction-connection.type.js';
import { cursorOfRow, exactCreatedAts, listTransactions } from './transaction-list.js';
import { TransactionRemoval } from './transaction-removal.type.js';
import { TransactionService } from './transaction.service.js';
import { listCost, sizeArg } from '../../limits/cost.js';
import { accountLoader } from '../accounts/account.loader.js';
import type { AccountRow } from '../accounts/account-row.js';
import { categoryLoader } from '../categories/category.loader.js';
import type { CategoryRow } from '../categories/category-row.js';
import type { TransactionRow } from './transaction-row.js';
import { publishTransactionChange } from './transaction-changes.js';
import type { TransactionChangedEvent } from '../../pubsub/pubsub.js';

/**
 * Every query and mutation here requires a signed-in user. The field resolvers do not check again:
 * a Transaction is only reached through those, and a check on every field of every row of a
 * page is measurable (bench/).
 */
@Resolver(() => Transaction)
export class TransactionResolver {
  @Authorized()
  @Query(() => TransactionConnection, {
    description:
      'Cursor pagination (first/after) or offset pagination (first/offset). first: 1..500.\nA client cache pages one list one way: cursor-based caches (Apollo relayStylePagination) follow after and ignore offset, so do not mix the two for one cached list.',
    complexity: listCost((args) => sizeArg(args, 'first', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)),
  })
  transactions(
    @Args() args: TransactionsArgs,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<TransactionConnection> {
    return listTransactions(ctx.em, user.id, args, joinedSelection(info));
  }

  @Authorized()
  @Query(() => Transaction)
  transaction(
    @Arg('id', () => ID) id: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<TransactionRow> {
    return serviceFor(ctx, user).get(id);
  }

  @FieldResolver(() => Account)
  account(@Root() transaction: TransactionRow, @Ctx() ctx: Context): AccountRow | Promise<AccountRow> {
    return transaction.joined?.account ?? accountLoader(ctx).load(transaction.account.id);
  }

  @FieldResolver(() => Account, { nullable: true, description: 'Set for TRANSFER only.' })
  transferAccount(@Root() transaction: TransactionRow, @Ctx() ctx: Context): Promise<AccountRow | null> {
    return accountLoader(ctx).loadOptional(transaction.transferAccount?.id);
  }

  @FieldResolver(() => Category, { nullable: true, description: 'Null for TRANSFER and for uncategorized.' })
  category(
    @Root() transaction: TransactionRow,
    @Ctx() ctx: Context,
  ): CategoryRow | null | Promise<CategoryRow | null> {
    if (transaction.joined?.category !== undefined) return transaction.joined.category;
    return categoryLoader(ctx).loadOptional(transaction.category?.id);
  }

  @Authorized()
  @Mutation(() => Transaction, {
    description:
      'Same idempotencyKey + same input: returns the first result, applies nothing twice.\nSame key + different input: CONFLICT.',
  })
  async createTransaction(
    @Arg('input') input: CreateTransactionInput,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey: string | null,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<TransactionRow> {
    const row = await serviceFor(ctx, user).create(input, idempotencyKey);
    // Only a row this call wrote carries `affected`; an idempotent replay read the first one
    // back, changed nothing, and tells no one.
    if (row.affected) changed(ctx, user, 'CREATED', row.id, row.affected);
    return row;
  }

  @Authorized()
  @Mutation(() => Transaction)
  async updateTransaction(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateTransactionInput,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<TransactionRow> {
    const row = await serviceFor(ctx, user).update(id, input);
    changed(ctx, user, 'UPDATED', row.id, row.affected ?? []);
    return row;
  }

  @Authorized()
  @Mutation(() => Boolean)
  async deleteTransaction(
    @Arg('id', () => ID) id: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    await this.removeTransaction(id, user, ctx);
    return true;
  }

  @Authorized()
  @Mutation(() => TransactionRemoval, {
    description:
      'deleteTransaction, answering with what a normalized client cache needs: the deleted transaction to evict and the accounts whose balances moved.',
  })
  async removeTransaction(
    @Arg('id', () => ID) id: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<TransactionRemoval> {
    const affectedAccounts = await serviceFor(ctx, user).delete(id);
    changed(ctx, user, 'DELETED', canonicalId(id), affectedAccounts);
    return { removed: { id: canonicalId(id), typename: 'Transaction' }, affectedAccounts };
  }

  @FieldResolver(() => [Account], {
    description:
      'On the result of createTransaction and updateTransaction: every account whose balance the write moved (a move includes the account it left), with its balance after the write; select it so a normalized client cache keeps every balance right. Elsewhere: account and transferAccount.',
  })
  affectedAccounts(
    @Root() transaction: TransactionRow,
    @Ctx() ctx: Context,
  ): AccountRow[] | Promise<AccountRow[]> {
    if (transaction.affected) return transaction.affected;
    const ids = [transaction.account.id, transaction.transferAccount?.id].filter((id) => id !== undefined);
    return Promise.all(ids.map((id) => accountLoader(ctx).load(id)));
  }

  @FieldResolver(() => String, {
    description:
      "This transaction's cursor in `transactions` with this sort (the edge cursor there): with it a client can place a created transaction in a cached list.",
  })
  cursor(
    @Root() transaction: TransactionRow,
    @Arg('sort', () => TransactionSort, { defaultValue: DEFAULT_SORT }) sort: TransactionSort,
    @Ctx() ctx: Context,
  ): Promise<string> {
    return cursorOf(ctx, transaction, sort.field);
  }
}

/** A row's cursor in a list sorted by `field`; created_at read in one batch per operation. */
const cursorOf = (ctx: Context, row: TransactionRow, field: TransactionSortField): Promise<string> =>
  cursorOfRow(row, field, async (id) => {
    const loader = ownedRowLoader(ctx, exactCreatedAts, (userId, ids) =>
      exactCreatedAts(ctx.em, userId, ids),
    );
    return (await loader.load(id)).createdAt;
  });

/**
 * Publishes a write to the caller's transactionChanged subscribers. The service has returned, so
 * the write has committed; publishing never throws and is not awaited.
 */
const changed = (
  ctx: Context,
  user: AuthUser,
  kind: TransactionChangedEvent['kind'],
  transactionId: string,
  movedAccounts: readonly { id: string }[],
): void => publishTransactionChange(ctx.app.pubSub, ctx.log, user.id, kind, transactionId, movedAccounts);

/** The caller's transaction service for this operation. */
const serviceFor = (ctx: Context, user: AuthUser): TransactionService =>
  new TransactionService(ctx.em, user.id, ctx.app, ctx.log);
