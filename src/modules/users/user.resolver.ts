import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { CurrentUser } from '../../auth/auth-checker.js';
import type { AuthUser, Context } from '../../context.js';
import { User } from './user.entity.js';
import { UpdateProfileInput } from './user.inputs.js';
import { UserService } from './user.service.js';

@Authorized()
@Resolver(() => User)
export class UserResolver {
  @Query(() => User)
  me(@CurrentUser() user: AuthUser, @Ctx() ctx: Context): Promise<User> {
    return new UserService(ctx.em).get(user.id);
  }

  @Mutation(() => User)
  updateProfile(
    @Arg('input') input: UpdateProfileInput,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<User> {
    return new UserService(ctx.em).updateProfile(user.id, input);
  }
}
