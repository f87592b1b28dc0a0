import { Args, Authorized, Ctx, Mutation, Resolver, UseMiddleware, Arg } from 'type-graphql';
import { CurrentUser } from '../../auth/auth-checker.js';
import type { AuthUser, Context } from '../../context.js';
import { AuthRateLimit } from './auth-rate-limit.middleware.js';
import { ChangePasswordArgs, RefreshTokenArgs } from './auth.args.js';
import { AuthPayload } from './auth-payload.type.js';
import { AuthService } from './auth.service.js';
import { LoginInput, RegisterInput } from './user.inputs.js';

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload)
  @UseMiddleware(AuthRateLimit)
  register(@Arg('input') input: RegisterInput, @Ctx() ctx: Context): Promise<AuthPayload> {
    return new AuthService(ctx.em, ctx.app).register(input);
  }

  @Mutation(() => AuthPayload)
  @UseMiddleware(AuthRateLimit)
  login(@Arg('input') input: LoginInput, @Ctx() ctx: Context): Promise<AuthPayload> {
    return new AuthService(ctx.em, ctx.app).login(input, ctx.ip);
  }

  @Mutation(() => AuthPayload, {
    description:
      'Rotates: the old refresh token stops working. Reusing a rotated token revokes its whole family.',
  })
  @UseMiddleware(AuthRateLimit)
  refreshToken(@Args() { refreshToken }: RefreshTokenArgs, @Ctx() ctx: Context): Promise<AuthPayload> {
    return new AuthService(ctx.em, ctx.app).refresh(refreshToken);
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description: 'Revokes the refresh token and every token rotated from the same login.',
  })
  logout(
    @Args() { refreshToken }: RefreshTokenArgs,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return new AuthService(ctx.em, ctx.app).logout(user.id, refreshToken);
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Revokes every refresh token of the user.' })
  async changePassword(
    @Args() { currentPassword, newPassword }: ChangePasswordArgs,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    await new AuthService(ctx.em, ctx.app).changePassword(user.id, currentPassword, newPassword);
    return true;
  }
}
