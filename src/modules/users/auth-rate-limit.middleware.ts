import type { MiddlewareFn } from 'type-graphql';
import { consumeOrThrow } from '../../auth/rate-limits.js';
import type { Context } from '../../context.js';

/** AUTH_RATE_LIMIT per minute per client IP, shared by register, login and refreshToken. */
export const AuthRateLimit: MiddlewareFn<Context> = async ({ context }, next) => {
  await consumeOrThrow(context.app.rateLimits.perIp, context.ip);
  return next();
};
