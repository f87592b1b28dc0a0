import { canonicalId } from '../../db/ids.js';
import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { CurrentUser } from '../../auth/auth-checker.js';
import { DeletedObject } from '../../db/deleted-object.type.js';
import type { AuthUser, Context } from '../../context.js';
import { Account } from './account.entity.js';
import { CreateAccountInput, UpdateAccountInput } from './account.inputs.js';
import { AccountService } from './account.service.js';
import { listCost } from '../../limits/cost.js';

@Authorized()
@Resolver(() => Account)
export class AccountResolver {
  @Query(() => [Account], { complexity: listCost((_args, limits) => limits.maxAccounts) })
  accounts(
    @Arg('includeArchived', () => Boolean, { nullable: true, defaultValue: false })
    includeArchived: boolean | null,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<Account[]> {
    return new AccountService(ctx.em, user.id).list(includeArchived ?? false);
  }

  @Query(() => Account)
  account(
    @Arg('id', () => ID) id: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<Account> {
    return new AccountService(ctx.em, user.id).get(id);
  }

  @Mutation(() => Account)
  createAccount(
    @Arg('input') input: CreateAccountInput,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<Account> {
    return new AccountService(ctx.em, user.id).create(input, ctx.app.limits.maxAccounts);
  }

  @Mutation(() => Account)
  updateAccount(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateAccountInput,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<Account> {
    return new AccountService(ctx.em, user.id).update(id, input);
  }

  @Mutation(() => Boolean, {
    description: 'Fails with CONFLICT while transactions reference the account; archive it instead.',
  })
  deleteAccount(
    @Arg('id', () => ID) id: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return new AccountService(ctx.em, user.id).delete(id);
  }

  @Mutation(() => DeletedObject, {
    description: 'deleteAccount, answering with the deleted account for a client cache to evict.',
  })
  async removeAccount(
    @Arg('id', () => ID) id: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<DeletedObject> {
    await new AccountService(ctx.em, user.id).delete(id);
    return { id: canonicalId(id), typename: 'Account' };
  }
}
