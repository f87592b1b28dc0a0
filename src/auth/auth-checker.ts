import type { AuthCheckerFn } from 'type-graphql';
import { createParameterDecorator } from 'type-graphql';
import type { AuthUser, Context } from '../context.js';
import { unauthenticated } from '../errors/app-error.js';

/** The request's user, or UNAUTHENTICATED saying why there is none (extensions.reason). */
export function signedInUser(context: Context): AuthUser {
  if (!context.user) throw unauthenticated(context.authFailure ?? 'TOKEN_MISSING');
  return context.user;
}

/** @Authorized() means "signed in"; there are no roles. */
export const authChecker: AuthCheckerFn<Context> = ({ context }) => signedInUser(context) !== undefined;

/** The signed-in user of an @Authorized() operation. */
export function CurrentUser() {
  return createParameterDecorator<Context>(({ context }): AuthUser => signedInUser(context));
}
