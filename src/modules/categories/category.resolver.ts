import { canonicalId } from '../../db/ids.js';
import {
  Arg,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { DeletedObject } from '../../db/deleted-object.type.js';
import { CurrentUser } from '../../auth/auth-checker.js';
import type { AuthUser, Context } from '../../context.js';
import { Category, CategoryKind } from './category.entity.js';
import { CreateCategoryInput, UpdateCategoryInput } from './category.inputs.js';
import { CategoryService } from './category.service.js';
import { listCost } from '../../limits/cost.js';
import { categoryLoader } from './category.loader.js';
import type { CategoryRow } from './category-row.js';

@Authorized()
@Resolver(() => Category)
export class CategoryResolver {
  @Query(() => [Category], { complexity: listCost((_args, limits) => limits.maxCategories) })
  categories(
    @Arg('kind', () => CategoryKind, { nullable: true }) kind: CategoryKind | null,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<Category[]> {
    return new CategoryService(ctx.em, user.id).list(kind);
  }

  @Query(() => Category)
  category(
    @Arg('id', () => ID) id: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<Category> {
    return new CategoryService(ctx.em, user.id).get(id);
  }

  @FieldResolver(() => Category, { nullable: true })
  parent(@Root() category: Category | CategoryRow, @Ctx() ctx: Context): Promise<CategoryRow | null> {
    return categoryLoader(ctx).loadOptional(category.parent?.id);
  }

  @Mutation(() => Category)
  createCategory(
    @Arg('input') input: CreateCategoryInput,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<Category> {
    return new CategoryService(ctx.em, user.id).create(input, ctx.app.limits.maxCategories);
  }

  @Mutation(() => Category)
  updateCategory(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateCategoryInput,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<Category> {
    return new CategoryService(ctx.em, user.id).update(id, input);
  }

  @Mutation(() => Boolean, {
    description: 'Transactions of a deleted category become uncategorized; its budgets are deleted.',
  })
  async deleteCategory(
    @Arg('id', () => ID) id: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    await new CategoryService(ctx.em, user.id).delete(id);
    return true;
  }

  @Mutation(() => CategoryRemoval, {
    description:
      'deleteCategory, answering with what a normalized client cache needs: the category and its budgets to evict, and the child categories moved to its parent. Its transactions become uncategorized: refetch cached transaction lists.',
  })
  async removeCategory(
    @Arg('id', () => ID) id: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<CategoryRemoval> {
    const { budgetIds, reparentedIds } = await new CategoryService(ctx.em, user.id).delete(id);
    const reparented = await Promise.all(reparentedIds.map((child) => categoryLoader(ctx).load(child)));
    return {
      removed: [
        { id: canonicalId(id), typename: 'Category' },
        ...budgetIds.map((budget) => ({ id: budget, typename: 'Budget' })),
      ],
      reparented,
    };
  }
}

@ObjectType({ simpleResolvers: true, description: 'What removeCategory changed.' })
export class CategoryRemoval {
  @Field(() => [DeletedObject], { description: 'The category and its budgets, to evict.' })
  removed: DeletedObject[];

  @Field(() => [Category], { description: 'Its children, now under its parent.' })
  reparented: CategoryRow[];
}
