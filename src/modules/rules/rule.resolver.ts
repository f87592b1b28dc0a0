import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { CurrentUser } from '../../auth/auth-checker.js';
import type { AuthUser, Context } from '../../context.js';
import { canonicalId } from '../../db/ids.js';
import { DeletedObject } from '../../db/deleted-object.type.js';
import { listCost } from '../../limits/cost.js';
import { Category } from '../categories/category.entity.js';
import { categoryLoader } from '../categories/category.loader.js';
import type { CategoryRow } from '../categories/category-row.js';
import { TransactionService } from '../transactions/transaction.service.js';
import { publishTransactionChange } from '../transactions/transaction-changes.js';
import { Rule } from './rule.entity.js';
import { ApplyRulesArgs, CreateRuleInput, UpdateRuleInput } from './rule.inputs.js';
import { RuleRun, runRules } from './rule-run.js';
import { RuleService } from './rule.service.js';

/**
 * What one applyRules costs, whatever it selects: it may read 5,000 transactions and write as
 * many (a tenth of the default MAX_QUERY_COST).
 */
export const APPLY_RULES_COST = 2_000;

@Authorized()
@Resolver(() => Rule)
export class RuleResolver {
  @Query(() => [Rule], {
    description: 'Your rules in the order they apply.',
    complexity: listCost((_args, limits) => limits.maxRules),
  })
  rules(@CurrentUser() user: AuthUser, @Ctx() ctx: Context): Promise<Rule[]> {
    return new RuleService(ctx.em, user.id).list();
  }

  @Query(() => Rule)
  rule(@Arg('id', () => ID) id: string, @CurrentUser() user: AuthUser, @Ctx() ctx: Context): Promise<Rule> {
    return new RuleService(ctx.em, user.id).get(id);
  }

  @FieldResolver(() => Category, {
    nullable: true,
    description: 'Action: the category set (see setCategoryId).',
  })
  setCategory(@Root() rule: Rule, @Ctx() ctx: Context): Promise<CategoryRow | null> {
    return categoryLoader(ctx).loadOptional(rule.setCategory?.id);
  }

  @Mutation(() => Rule)
  createRule(
    @Arg('input') input: CreateRuleInput,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<Rule> {
    return new RuleService(ctx.em, user.id).create(input, ctx.app.limits.maxRules);
  }

  @Mutation(() => Rule)
  updateRule(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateRuleInput,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<Rule> {
    return new RuleService(ctx.em, user.id).update(id, input);
  }

  @Mutation(() => Boolean)
  deleteRule(
    @Arg('id', () => ID) id: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return new RuleService(ctx.em, user.id).delete(id);
  }

  @Mutation(() => DeletedObject, {
    description: 'deleteRule, answering with the deleted rule for a client cache to evict.',
  })
  async removeRule(
    @Arg('id', () => ID) id: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<DeletedObject> {
    await new RuleService(ctx.em, user.id).delete(id);
    return { id: canonicalId(id), typename: 'Rule' };
  }

  @Mutation(() => RuleRun, {
    description: `Applies your enabled rules to your existing transactions matching filter, as they apply
to a new one (a category only where there is none). dryRun (the default) changes
nothing and answers what would change; otherwise the changes are written through the
same path as updateTransaction (balances and running totals follow), in batches that
are each all or nothing. At most 5000 transactions per call: see RuleRun.truncated and endCursor.`,
    complexity: ({ childComplexity }) => APPLY_RULES_COST + childComplexity,
  })
  applyRules(
    @Args() { filter, dryRun, after }: ApplyRulesArgs,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<RuleRun> {
    return runRules(
      ctx.em,
      user.id,
      filter ?? {},
      dryRun ?? true,
      after ?? null,
      () => new TransactionService(ctx.em, user.id, ctx.app, ctx.log),
      (rows) => {
        for (const row of rows)
          publishTransactionChange(ctx.app.pubSub, ctx.log, user.id, 'UPDATED', row.id, row.affected ?? []);
      },
    );
  }
}
