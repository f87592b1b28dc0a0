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
import type { AuthUser, Context } from '../../context.js';
import { Account } from '../accounts/account.entity.js';
import { Category } from '../categories/category.entity.js';
import { Transaction } from './transaction.entity.js';
import { CreateTransactionInput, UpdateTransactionInput } from './transaction.inputs.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, TransactionsArgs } from './transaction.args.js';
import { TransactionConnection } from './transaction-connection.type.js';
import { listTransactions } from './transaction-list.js';
import { TransactionService } from './transaction.service.js';
import { listCost, sizeArg } from '../../limits/cost.js';
import { accountLoader } from '../accounts/account.loader.js';
import type { AccountRow } from '../accounts/account-row.js';
import { categoryLoader } from '../categories/category.loader.js';
import type { CategoryRow } from '../categories/category-row.js';
import type { TransactionRow } from './transaction-row.js';

/**
 * Every query and mutation here requires a signed-in user. The field resolvers do not check again:
 * a Transaction is only reached through those, and a check on every field of every row of a
 * page is measurable (bench/).
 */
@Resolver(() => Transaction)
export class TransactionResolver {
  @Authorized()
  @Query(() => TransactionConnection, {
    description: 'Cursor pagination (first/after) or offset pagination (first/offset). first: 1..500.',
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
  createTransaction(
    @Arg('input') input: CreateTransactionInput,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey: string | null,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<TransactionRow> {
    return serviceFor(ctx, user).create(input, idempotencyKey);
  }

  @Authorized()
  @Mutation(() => Transaction)
  updateTransaction(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateTransactionInput,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<TransactionRow> {
    return serviceFor(ctx, user).update(id, input);
  }

  @Authorized()
  @Mutation(() => Boolean)
  deleteTransaction(
    @Arg('id', () => ID) id: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return serviceFor(ctx, user).delete(id);
  }
}

/** The caller's transaction service for this operation. */
const serviceFor = (ctx: Context, user: AuthUser): TransactionService =>
  new TransactionService(ctx.em, user.id, ctx.app.pubSub, ctx.log);
