import type { AuthCheckerFn } from 'type-graphql';
import { createParameterDecorator } from 'type-graphql';
import type { AuthUser, Context } from '../context.js';
import { unauthenticated } from '../errors/app-error.js';

/** @Authorized() means "signed in"; there are no roles. */
export const authChecker: AuthCheckerFn<Context> = ({ context }) => context.user !== undefined;

/** The signed-in user of an @Authorized() operation. */
export function CurrentUser() {
  return createParameterDecorator<Context>(({ context }): AuthUser => {
    if (!context.user) throw unauthenticated();
    return context.user;
  });
}
